"""Built-in metrics, registered through the plugin hooks like any third-party plugin."""
