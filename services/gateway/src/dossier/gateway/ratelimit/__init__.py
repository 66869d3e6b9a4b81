"""Rate limits per plan (per minute and per hour), shared by every gateway replica."""
