"""Small Django-free helpers shared by the apps and the engine."""
