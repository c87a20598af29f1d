using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("GenCluster.Contracts.Tests")]
