using GenCluster.Torch.Interop;
using GenCluster.Torch.Modules;

namespace GenCluster.Torch;

public static partial class torch
{
    /// <summary>Layers (<c>nn.Linear</c>, <c>nn.Conv2d</c>, ...), their functional forms and initialisers.</summary>
    public static partial class nn
    {
        public static Linear Linear(long in_features, long out_features, bool bias = true) => new(in_features, out_features, bias);

        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true) =>
            new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias);

        public static ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, bool bias = true, long dilation = 1) =>
            new(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation);

        public static BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true) =>
            new(num_features, eps, momentum, affine, track_running_stats);

        public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true) =>
            new(num_features, eps, momentum, affine, track_running_stats);

        public static Embedding Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null) => new(num_embeddings, embedding_dim, padding_idx);

        public static Dropout Dropout(double p = 0.5) => new(p);

        public static ReLU ReLU() => new();

        public static LeakyReLU LeakyReLU(double negative_slope = 0.01) => new(negative_slope);

        public static Tanh Tanh() => new();

        public static Sigmoid Sigmoid() => new();

        public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);

        public static Sequential Sequential(params Module[] modules) => new(modules);

        public static BCEWithLogitsLoss BCEWithLogitsLoss(Reduction reduction = Reduction.Mean) => new(reduction);

        public static MSELoss MSELoss(Reduction reduction = Reduction.Mean) => new(reduction);

        public static CrossEntropyLoss CrossEntropyLoss(Reduction reduction = Reduction.Mean, long ignore_index = -100, double label_smoothing = 0) =>
            new(reduction, ignore_index, label_smoothing);

        /// <summary>Stateless forms of the layers, as <c>torch.nn.functional</c>.</summary>
        public static class functional
        {
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                NativeResult.Tensor(NativeMethods.gct_linear(input.Handle, weight.Handle, Tensor.HandleOrNull(bias)));

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                NativeResult.Tensor(NativeMethods.gct_conv2d(input.Handle, weight.Handle, Tensor.HandleOrNull(bias),
                    [stride, stride], [padding, padding], [dilation, dilation], groups));

            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, long dilation = 1) =>
                NativeResult.Tensor(NativeMethods.gct_conv_transpose2d(input.Handle, weight.Handle, Tensor.HandleOrNull(bias),
                    [stride, stride], [padding, padding], [output_padding, output_padding], groups, [dilation, dilation]));

            /// <summary>Batch normalisation; in training it updates the running statistics in place.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                NativeResult.Tensor(NativeMethods.gct_batch_norm(input.Handle, Tensor.HandleOrNull(weight), Tensor.HandleOrNull(bias),
                    Tensor.HandleOrNull(running_mean), Tensor.HandleOrNull(running_var), training ? 1 : 0, momentum, eps));

            public static Tensor embedding(Tensor input, Tensor weight, long padding_idx = -1) =>
                NativeResult.Tensor(NativeMethods.gct_embedding(weight.Handle, input.Handle, padding_idx));

            /// <summary>Zeroes elements with probability <paramref name="p"/> and scales the rest by 1/(1-p) when training.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null) =>
                NativeResult.Tensor(NativeMethods.gct_dropout(input.Handle, p, training ? 1 : 0, Generator.HandleOrNull(generator)));

            public static Tensor relu(Tensor input) => input.relu();

            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01) =>
                NativeResult.Tensor(NativeMethods.gct_leaky_relu(input.Handle, negative_slope));

            public static Tensor tanh(Tensor input) => input.tanh();

            public static Tensor sigmoid(Tensor input) => input.sigmoid();

            public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);

            public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);

            /// <summary>Binary cross-entropy on logits (sigmoid folded in for numerical stability).</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
                NativeResult.Tensor(NativeMethods.gct_binary_cross_entropy_with_logits(input.Handle, target.Handle,
                    Tensor.HandleOrNull(weight), Tensor.HandleOrNull(pos_weight), (long)reduction));

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                NativeResult.Tensor(NativeMethods.gct_mse_loss(input.Handle, target.Handle, (long)reduction));

            /// <summary>Cross-entropy of logits against int64 class indices.</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignore_index = -100, double label_smoothing = 0) =>
                NativeResult.Tensor(NativeMethods.gct_cross_entropy(input.Handle, target.Handle, Tensor.HandleOrNull(weight),
                    (long)reduction, ignore_index, label_smoothing));
        }
    }
}

/// <summary>How a loss reduces over the batch; values are libtorch's <c>at::Reduction</c> codes.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}
