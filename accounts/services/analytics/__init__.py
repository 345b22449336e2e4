"""User analytics over recorded activity (user-system issue §6): engagement, usage and behaviour
patterns, performance (``engagement``), satisfaction (``satisfaction``) and the explainable
disengagement-risk model (``risk``). Every function takes a school and reads only its rows; the
callers (selectors/views) check ``accounts.view_analytics`` in that school first."""
