"""Writes of the convenios app: agreements (convenios), their payments, breach, transacciones."""
