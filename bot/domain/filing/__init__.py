"""Filing a remark: each workspace's classifier, people's corrections, themes and
near-duplicates."""
