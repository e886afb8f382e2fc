"""Built-in features, registered through the plugin hooks like any third-party plugin."""
