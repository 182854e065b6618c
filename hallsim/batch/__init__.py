"""Many halls at once (contract section 10): every scenario or week file in a folder, run or
advised on a Dask cluster, resumable, one row per hall in batch.csv."""
