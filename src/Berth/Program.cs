using Berth.Cli;
using Berth.Hosting;

var commandLine = new BerthCommandLine(RegistryHost.RunAsync, BerthCommandLine.ProcessEnvironment());
return await commandLine.InvokeAsync(args, Console.Out, Console.Error);
