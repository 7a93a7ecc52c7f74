"""Moving the whole site to another database or server: `export_site` and `import_site`."""
