"""``genbench sanity``: does each metric do what it claims, here, on this data?

``data`` loads a dataset's reference features and held-out images, ``scores`` computes
every watched metric of a generated set, ``checks`` makes the controlled changes and judges
the metrics, ``table`` writes the check × metric table. ``docs/sanity.md`` gives the
sources of every expectation.
"""
