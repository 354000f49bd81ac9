"""Reading and storing a regency's RPJMD and regions, and the bundled reference data."""
