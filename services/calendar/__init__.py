"""The Musrenbang calendar: dates as planners type them, stages and their checks, season import."""
