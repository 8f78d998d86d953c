"""Writes of the collection work (cases, actions, referrals).

`caso_convenio_evento` is the one door through which the convenios app moves a case; PLACEHOLDER until
the mora work lands (the mora helper gives it a body, keeping the signature)."""


def caso_convenio_evento(*, actor, deudor_id: int, evento: str, motivo: str = "") -> None:
    """Move the open case of this deudor when one of its agreements changes state.

    evento: "formalizado" (→ en convenio), "incumplido" (→ back to en gestión, or proposed for judicial
    referral per R14), "cumplido" (→ cumplido). No open case: nothing to do."""
    return None
