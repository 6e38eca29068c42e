"""Files -> model: site.yaml, the concept registry, lessons and module pages, every problem a finding."""
