// Neural-network kernels: layers, activations, normalisation and losses (functional form).
#include "shim.h"

GCT_EXPORT gct_tensor gct_linear(gct_tensor input, gct_tensor weight, gct_tensor bias) {
    GCT_TENSOR(return at::linear(gct::T(input), gct::T(weight), gct::opt(bias)));
}

GCT_EXPORT gct_tensor gct_conv2d(gct_tensor input, gct_tensor weight, gct_tensor bias, const int64_t* stride,
                                 const int64_t* padding, const int64_t* dilation, int64_t groups) {
    GCT_TENSOR(return at::conv2d(gct::T(input), gct::T(weight), gct::opt(bias), gct::ints(stride, 2),
                                 gct::ints(padding, 2), gct::ints(dilation, 2), groups));
}

namespace {

// A bias libtorch would accept for `channels` output channels of the weight's dtype, or none.
bool bias_fits(const c10::optional<at::Tensor>& bias, const at::Tensor& w, int64_t channels) {
    return !bias.has_value() || !bias->defined() ||
           (bias->dim() == 1 && bias->size(0) == channels && bias->scalar_type() == w.scalar_type() &&
            bias->device().is_cpu());
}

at::Tensor with_bias(at::Tensor out, const c10::optional<at::Tensor>& bias) {
    return bias.has_value() && bias->defined() ? out + bias->view({1, -1, 1, 1}) : out;
}

// A transposed convolution of a 1×1 input (a generator projecting its latent vector, as DCGAN's first layer does) is
// a matrix product: out[n, c, i, j] = Σ_k x[n, k] · w[k, c, i, j]. libtorch's CPU kernel (slow_conv_transpose2d) runs
// it sample by sample, a matrix-vector product that reads the whole weight once per sample, in the forward pass and
// again for each gradient; one GEMM over the batch reads it once. The stride does not matter for a single input
// position; padding, output padding, dilation and groups do, so those keep libtorch's kernel, as do other devices.
// Anything libtorch would refuse (a bad stride, a bias of the wrong size) also goes to libtorch, for its error.
bool is_projection(const at::Tensor& x, const at::Tensor& w, const c10::optional<at::Tensor>& bias,
                   at::IntArrayRef stride, at::IntArrayRef padding, at::IntArrayRef output_padding, int64_t groups,
                   at::IntArrayRef dilation) {
    return x.device().is_cpu() && w.device().is_cpu() && x.dim() == 4 && w.dim() == 4 && x.size(2) == 1 &&
           x.size(3) == 1 && x.size(1) == w.size(0) && x.scalar_type() == w.scalar_type() &&
           bias_fits(bias, w, w.size(1)) && groups == 1 && stride[0] > 0 && stride[1] > 0 && padding[0] == 0 &&
           padding[1] == 0 && output_padding[0] == 0 && output_padding[1] == 0 && dilation[0] == 1 && dilation[1] == 1;
}

at::Tensor projection(const at::Tensor& x, const at::Tensor& w, const c10::optional<at::Tensor>& bias) {
    return with_bias(at::mm(x.reshape({x.size(0), x.size(1)}), w.reshape({w.size(0), -1}))
                         .view({x.size(0), w.size(1), w.size(2), w.size(3)}),
                     bias);
}

// Below this many output channels per group a transposed convolution keeps libtorch's kernel: oneDNN's backward-data
// kernel was 11× slower on DCGAN's last layer (128 → 1 channel, 14² → 28²) and 1.2× faster on the one before it
// (256 → 128, 7² → 14²) at batch 32 on one core (docs/PERFORMANCE.md, session 8).
constexpr int64_t kMinOneDnnOutputChannels = 16;

// A transposed convolution is the gradient of a convolution with respect to its input, which libtorch 1.13 computes
// with oneDNN (mkldnn) on CPU, while its own transposed kernel (slow_conv_transpose2d) loops over the samples. So
// float32 CPU transposed convolutions go through convolution_backward; autograd differentiates it (its double
// backward is a convolution and a weight gradient, again through oneDNN). Only where a convolution of the output's
// size gives back exactly the input's size: an output padding below the stride.
bool through_convolution_backward(const at::Tensor& x, const at::Tensor& w, const c10::optional<at::Tensor>& bias,
                                  at::IntArrayRef stride, at::IntArrayRef padding, at::IntArrayRef output_padding,
                                  int64_t groups, at::IntArrayRef dilation) {
    if (!at::hasMKLDNN() || !at::globalContext().userEnabledMkldnn() || !x.device().is_cpu() ||
        !w.device().is_cpu() || x.scalar_type() != at::kFloat || w.scalar_type() != at::kFloat || x.dim() != 4 ||
        w.dim() != 4 || groups < 1 || x.size(1) != w.size(0) || w.size(0) % groups != 0 ||
        w.size(1) < kMinOneDnnOutputChannels || w.size(2) < 1 || w.size(3) < 1 || x.size(2) < 1 || x.size(3) < 1) {
        return false;
    }
    for (int i = 0; i < 2; i++) {
        if (stride[i] < 1 || dilation[i] < 1 || padding[i] < 0 || output_padding[i] < 0 || output_padding[i] >= stride[i]) {
            return false;
        }
    }
    return bias_fits(bias, w, w.size(1) * groups);
}

at::Tensor transposed_through_convolution_backward(const at::Tensor& x, const at::Tensor& w,
                                                   const c10::optional<at::Tensor>& bias, at::IntArrayRef stride,
                                                   at::IntArrayRef padding, at::IntArrayRef output_padding,
                                                   int64_t groups, at::IntArrayRef dilation) {
    int64_t size[4] = {x.size(0), w.size(1) * groups, 0, 0};
    for (int i = 0; i < 2; i++) {
        size[2 + i] = (x.size(2 + i) - 1) * stride[i] - 2 * padding[i] + dilation[i] * (w.size(2 + i) - 1) +
                      output_padding[i] + 1;
        if (size[2 + i] < 1) throw std::invalid_argument("conv_transpose2d: the output would be empty");
    }
    // convolution_backward reads only the sizes of the convolution's input; one element stands for all of them.
    auto input_shape = at::empty({1}, x.options()).expand(at::IntArrayRef(size, 4));
    int64_t no_output_padding[2] = {0, 0};
    auto out = std::get<0>(at::convolution_backward(x, input_shape, w, c10::nullopt, stride, padding, dilation,
                                                    /*transposed=*/false, at::IntArrayRef(no_output_padding, 2),
                                                    groups, {true, false, false}));
    return with_bias(out, bias);
}

}  // namespace

GCT_EXPORT gct_tensor gct_conv_transpose2d(gct_tensor input, gct_tensor weight, gct_tensor bias, const int64_t* stride,
                                           const int64_t* padding, const int64_t* output_padding, int64_t groups,
                                           const int64_t* dilation) {
    GCT_TENSOR(
        auto& x = gct::T(input);
        auto& w = gct::T(weight);
        auto b = gct::opt(bias);
        auto s = gct::ints(stride, 2), p = gct::ints(padding, 2), op = gct::ints(output_padding, 2), d = gct::ints(dilation, 2);
        if (is_projection(x, w, b, s, p, op, groups, d)) return projection(x, w, b);
        if (through_convolution_backward(x, w, b, s, p, op, groups, d)) {
            return transposed_through_convolution_backward(x, w, b, s, p, op, groups, d);
        }
        return at::conv_transpose2d(x, w, b, s, p, op, groups, d);
    );
}

GCT_EXPORT gct_tensor gct_batch_norm(gct_tensor input, gct_tensor weight, gct_tensor bias, gct_tensor running_mean,
                                     gct_tensor running_var, int training, double momentum, double eps) {
    GCT_TENSOR(return at::batch_norm(gct::T(input), gct::opt(weight), gct::opt(bias), gct::opt(running_mean),
                                     gct::opt(running_var), training != 0, momentum, eps, /*cudnn_enabled=*/true));
}

GCT_EXPORT gct_tensor gct_embedding(gct_tensor weight, gct_tensor indices, int64_t padding_idx) {
    GCT_TENSOR(return at::embedding(gct::T(weight), gct::T(indices), padding_idx));
}

// Dropout with an explicit generator so runs are reproducible: mask ~ Bernoulli(1-p), scaled by 1/(1-p).
GCT_EXPORT gct_tensor gct_dropout(gct_tensor input, double p, int training, gct_generator generator) {
    GCT_TENSOR(
        auto& x = gct::T(input);
        if (p < 0.0 || p > 1.0) throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
        if (training == 0 || p == 0.0) return x;
        if (p == 1.0) return x * 0.0;
        auto mask = at::empty_like(x, at::MemoryFormat::Contiguous).bernoulli_(1.0 - p, gct::opt(generator));
        return x * mask.div_(1.0 - p);
    );
}

GCT_EXPORT gct_tensor gct_relu(gct_tensor a) { GCT_TENSOR(return at::relu(gct::T(a))); }
GCT_EXPORT gct_tensor gct_leaky_relu(gct_tensor a, double slope) { GCT_TENSOR(return at::leaky_relu(gct::T(a), slope)); }
GCT_EXPORT gct_tensor gct_tanh(gct_tensor a) { GCT_TENSOR(return at::tanh(gct::T(a))); }
GCT_EXPORT gct_tensor gct_sigmoid(gct_tensor a) { GCT_TENSOR(return at::sigmoid(gct::T(a))); }

// reduction: 0 none, 1 mean, 2 sum (at::Reduction::Reduction).
GCT_EXPORT gct_tensor gct_binary_cross_entropy_with_logits(gct_tensor input, gct_tensor target, gct_tensor weight,
                                                           gct_tensor pos_weight, int64_t reduction) {
    GCT_TENSOR(return at::binary_cross_entropy_with_logits(gct::T(input), gct::T(target), gct::opt(weight),
                                                           gct::opt(pos_weight), reduction));
}

GCT_EXPORT gct_tensor gct_mse_loss(gct_tensor input, gct_tensor target, int64_t reduction) {
    GCT_TENSOR(return at::mse_loss(gct::T(input), gct::T(target), reduction));
}

GCT_EXPORT gct_tensor gct_cross_entropy(gct_tensor input, gct_tensor target, gct_tensor weight, int64_t reduction,
                                        int64_t ignore_index, double label_smoothing) {
    GCT_TENSOR(return at::cross_entropy_loss(gct::T(input), gct::T(target), gct::opt(weight), reduction, ignore_index,
                                             label_smoothing));
}
