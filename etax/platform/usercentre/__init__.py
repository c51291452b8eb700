"""用户中心 (user centre): the platform's own functions, registered as a core plugin."""
