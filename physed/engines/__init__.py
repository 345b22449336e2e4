"""Pure-Python scoring for the adaptation and recommendation engines (no ORM): selectors gather
plain data, these modules score it, services persist the results. Testable on generated data."""
