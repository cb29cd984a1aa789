"""claimtrail: extractors."""
