"""claimtrail: flows."""
