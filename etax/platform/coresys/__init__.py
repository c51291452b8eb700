"""The core registry: a stand-in for the core tax administration system (金税三期) the portal syncs from."""
