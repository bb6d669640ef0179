"""The index: a SQLite catalog (source of truth), a BM25 keyword index and a Chroma vector
store, both derived from the catalog and reconciled with it on every run."""
