"""claimtrail: transforms."""
