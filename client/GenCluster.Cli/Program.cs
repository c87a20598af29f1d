using System.CommandLine;
using GenCluster.Cli.Commands;

var root = new RootCommand("GenCluster: train deep generative models on a cluster of workers, and share the generators.");
root.Subcommands.Add(TrainLocalCommand.Create());
root.Subcommands.Add(TrainClassifierCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
root.Subcommands.Add(WatchCommand.Create());
return await root.Parse(args).InvokeAsync();
