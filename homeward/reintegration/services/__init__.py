"""Writes of reintegration work, referrals and monitoring (one module per concern)."""
