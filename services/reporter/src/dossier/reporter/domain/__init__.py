"""The reporter's pure core: decision rules, the deterministic writer and its phrases."""
