using GenCluster.Storage.FileSystem;
using GenCluster.Storage.Tests.Contract;

namespace GenCluster.Storage.Tests.FileSystem;

public sealed class FileSystemObjectStoreContractTests : ObjectStoreContractTests, IDisposable
{
    private readonly TemporaryDirectory _root = new("object-store");

    protected override Task<IObjectStore> CreateStoreAsync() =>
        Task.FromResult<IObjectStore>(new FileSystemObjectStore(_root.File(Guid.NewGuid().ToString("N"))));

    protected override async Task AlterStoredBytesAsync(IObjectStore store, string name, Func<byte[], byte[]> alter)
    {
        var path = ((FileSystemObjectStore)store).PathOf(name);
        var file = await File.ReadAllBytesAsync(path);
        var header = file[..ObjectFileHeader.Size];
        await File.WriteAllBytesAsync(path, [.. header, .. alter(file[ObjectFileHeader.Size..])]);
    }

    public void Dispose() => _root.Dispose();
}
