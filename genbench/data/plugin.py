"""Built-in data, registered through the plugin hooks like any third-party plugin."""
