using System.Runtime.InteropServices;

namespace GenCluster.Torch.Interop;

// nn.cpp and autograd.cpp
internal static partial class NativeMethods
{
    [LibraryImport(Library)] internal static partial IntPtr gct_linear(TensorHandle input, TensorHandle weight, TensorHandle bias);
    [LibraryImport(Library)] internal static partial IntPtr gct_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, ReadOnlySpan<long> stride, ReadOnlySpan<long> padding, ReadOnlySpan<long> dilation, long groups);
    [LibraryImport(Library)] internal static partial IntPtr gct_conv_transpose2d(TensorHandle input, TensorHandle weight, TensorHandle bias, ReadOnlySpan<long> stride, ReadOnlySpan<long> padding, ReadOnlySpan<long> outputPadding, long groups, ReadOnlySpan<long> dilation);
    [LibraryImport(Library)] internal static partial IntPtr gct_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps);
    [LibraryImport(Library)] internal static partial IntPtr gct_embedding(TensorHandle weight, TensorHandle indices, long paddingIdx);
    [LibraryImport(Library)] internal static partial IntPtr gct_dropout(TensorHandle input, double p, int training, GeneratorHandle generator);
    [LibraryImport(Library)] internal static partial IntPtr gct_relu(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_leaky_relu(TensorHandle a, double slope);
    [LibraryImport(Library)] internal static partial IntPtr gct_tanh(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_sigmoid(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr gct_binary_cross_entropy_with_logits(TensorHandle input, TensorHandle target, TensorHandle weight, TensorHandle posWeight, long reduction);
    [LibraryImport(Library)] internal static partial IntPtr gct_mse_loss(TensorHandle input, TensorHandle target, long reduction);
    [LibraryImport(Library)] internal static partial IntPtr gct_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight, long reduction, long ignoreIndex, double labelSmoothing);

    [LibraryImport(Library)] internal static partial int gct_requires_grad(TensorHandle a, out int requiresGrad);
    [LibraryImport(Library)] internal static partial int gct_set_requires_grad(TensorHandle a, int requiresGrad);
    [LibraryImport(Library)] internal static partial int gct_is_leaf(TensorHandle a, out int isLeaf);
    [LibraryImport(Library)] internal static partial int gct_backward(TensorHandle a, TensorHandle gradient, int retainGraph);
    [LibraryImport(Library)] internal static partial IntPtr gct_grad(TensorHandle a, out int defined);
    [LibraryImport(Library)] internal static partial int gct_set_grad(TensorHandle a, TensorHandle grad);
    [LibraryImport(Library)] internal static partial int gct_set_data(TensorHandle a, TensorHandle data);
    [LibraryImport(Library)] internal static partial IntPtr gct_detach(TensorHandle a);
    [LibraryImport(Library)] internal static partial int gct_grad_enabled();
    [LibraryImport(Library)] internal static partial void gct_set_grad_enabled(int enabled);
}
