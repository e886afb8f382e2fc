"""genbench plugin: diffusers pipelines as benchmark models, and the CLIP score.

Pipelines are listed in a config file (``genbench diffusers add NAME SOURCE`` writes it);
each entry registers a model ``diffusers.NAME``. See README.md.
"""

from genbench_diffusers.config import PipelineEntry, config_path, read_entries

__all__ = ["PipelineEntry", "config_path", "read_entries"]
