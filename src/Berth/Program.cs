// Placeholder entry point until the CLI (System.CommandLine) lands.
return 0;
