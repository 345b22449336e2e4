"""Content demo data (issue 8 "Demo data"): categories and tags, ≥ 30 items written by us (lesson
plans tied to the activity library, units, handouts, …) with version history, shares and comments."""

from content import demo_items, demo_scale


def seed(context) -> None:
    demo_items.seed(context)
    demo_scale.seed(context)  # seed_demo --scale N: copies 2..N of the library, bulk
