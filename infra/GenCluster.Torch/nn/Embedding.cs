using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Modules;

/// <summary>A lookup table of <c>num_embeddings</c> vectors, indexed by int64 tensors; initialised N(0, 1).</summary>
public sealed class Embedding : Module
{
    private readonly long _paddingIdx;

    public Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null)
    {
        if (num_embeddings <= 0 || embedding_dim <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(num_embeddings), $"Embedding({num_embeddings}, {embedding_dim}) needs positive sizes");
        }

        if (padding_idx is { } p && (p < -num_embeddings || p >= num_embeddings))
        {
            throw new ArgumentOutOfRangeException(nameof(padding_idx), p, "padding_idx must index an embedding");
        }

        _paddingIdx = padding_idx is { } idx ? (idx < 0 ? idx + num_embeddings : idx) : -1;
        weight = register_parameter(nameof(weight), empty([num_embeddings, embedding_dim]));
        nn.init.normal_(weight);
        if (_paddingIdx >= 0)
        {
            using var _ = no_grad();
            using var row = weight.select(0, _paddingIdx);
            row.zero_();
        }
    }

    public Tensor weight { get; }

    public override Tensor forward(Tensor input) => nn.functional.embedding(input, weight, _paddingIdx);
}
