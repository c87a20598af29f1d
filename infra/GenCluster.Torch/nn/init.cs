namespace GenCluster.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Parameter initialisers, as <c>torch.nn.init</c>; all work in place without recording gradients.</summary>
        public static class init
        {
            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
            {
                using var _ = no_grad();
                return tensor.normal_(mean, std, generator);
            }

            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
            {
                using var _ = no_grad();
                return tensor.uniform_(a, b, generator);
            }

            public static Tensor constant_(Tensor tensor, double value)
            {
                using var _ = no_grad();
                return tensor.fill_(value);
            }

            public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);

            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            /// <summary>He initialisation, uniform: bound = gain·√(3/fan), gain = √(2/(1+a²)) for leaky ReLU.</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Generator? generator = null)
            {
                var std = LeakyReluGain(a) / Math.Sqrt(Fan(tensor, mode));
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound, generator);
            }

            /// <summary>He initialisation, normal: std = gain/√fan.</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Generator? generator = null) =>
                normal_(tensor, 0, LeakyReluGain(a) / Math.Sqrt(Fan(tensor, mode)), generator);

            /// <summary>Glorot initialisation, uniform: bound = gain·√(6/(fan_in+fan_out)).</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1, Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return uniform_(tensor, -bound, bound, generator);
            }

            /// <summary>Glorot initialisation, normal: std = gain·√(2/(fan_in+fan_out)).</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1, Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
            }

            /// <summary>PyTorch's fan computation: dim 1 × receptive field in, dim 0 × receptive field out.</summary>
            /// <exception cref="ArgumentException">The tensor has fewer than two dimensions.</exception>
            public static (long FanIn, long FanOut) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2)
                {
                    throw new ArgumentException($"fan in and fan out need a tensor with at least 2 dimensions, got {shape.Length}", nameof(tensor));
                }

                long receptive = 1;
                for (var i = 2; i < shape.Length; i++)
                {
                    receptive *= shape[i];
                }

                return (shape[1] * receptive, shape[0] * receptive);
            }

            private static double LeakyReluGain(double negativeSlope) => Math.Sqrt(2.0 / (1 + (negativeSlope * negativeSlope)));

            private static long Fan(Tensor tensor, FanMode mode)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                return mode == FanMode.FanIn ? fanIn : fanOut;
            }
        }
    }
}

/// <summary>Which fan Kaiming initialisation preserves the variance of.</summary>
public enum FanMode
{
    FanIn,
    FanOut,
}
