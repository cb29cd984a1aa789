"""claimtrail: warehouse."""
