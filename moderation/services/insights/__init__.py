"""The newsroom's insights: figures read from the daily tallies, and the charts drawn from them."""
