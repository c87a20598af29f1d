using GenCluster.Torch.Serialization;
using GenCluster.Training.Gan;

namespace GenCluster.Benchmarks.Quality;

/// <summary>Loads a DCGAN generator saved as safetensors (by <c>gencluster train-local</c> or the PyTorch reference trainer).</summary>
internal static class GeneratorFile
{
    /// <summary>Builds a <see cref="DcganGenerator"/> sized from the file's first layer and loads its weights.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file does not hold a 28×28 DCGAN generator.</exception>
    public static DcganGenerator Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"generator weights not found: {path}", path);
        }

        var (tensors, _) = SafeTensors.Load(path);
        try
        {
            // main.0 is ConvTranspose2d(nz, 4·ngf, 7): its weight is nz × 4·ngf × 7 × 7.
            if (!tensors.TryGetValue("main.0.weight", out var first) || first.dim() != 4 || first.shape[1] % 4 != 0)
            {
                throw new InvalidDataException($"{path}: no DCGAN generator first layer 'main.0.weight' of shape nz × 4·ngf × 7 × 7");
            }

            var options = new DcganOptions { LatentSize = (int)first.shape[0], GeneratorWidth = (int)(first.shape[1] / 4) };
            var generator = new DcganGenerator(options);
            try
            {
                generator.load_state_dict(tensors);
                return generator;
            }
            catch (ArgumentException e)
            {
                generator.Dispose();
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
