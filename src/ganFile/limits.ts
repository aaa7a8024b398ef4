// The sizes and rates a `.gan.json` may ask for: generous for real GANs, small enough to catch a typo before it eats the memory.

/** Layers in one network's list. */
export const MAX_LAYERS = 200;
/** Units of a dense layer, filters or channels of a conv. */
export const MAX_WIDTH = 8192;
/** Side of a conv kernel. */
export const MAX_KERNEL = 15;
/** Stride of a conv, factor of an upsample. */
export const MAX_STRIDE = 8;
/** Pixels of explicit padding on each side. */
export const MAX_PADDING = 16;
export const MAX_LATENT_DIM = 4096;
export const MAX_BATCH_SIZE = 4096;
/** Side of the square images. */
export const MAX_IMAGE_SIZE = 1024;
/** Values of one layer's output for one image ([H, W, C] multiplied out). */
export const MAX_ACTIVATION_VALUES = 1 << 26;
/** Trainable parameters of one network (talk-dcgan-64's G has 12.7 million). */
export const MAX_PARAMETERS = 200_000_000;
/** Largest Adam learning rate accepted; GANs train at 1e-5 to 1e-3. */
export const MAX_LEARNING_RATE = 1;
/** D updates per G update. */
export const MAX_DISCRIMINATOR_STEPS = 100;
/** One-sided label smoothing: D's target for real images stays at least 1 − this. */
export const MAX_LABEL_SMOOTHING = 0.5;
/** σ of Gaussian or instance noise, on images in [-1, 1]. */
export const MAX_NOISE_STDDEV = 10;
/** Files in one `extends` chain. */
export const MAX_EXTENDS_DEPTH = 16;
/** Steps of a schedule (instance-noise annealing, progressive fade-in and stable phases, test intervals). */
export const MAX_SCHEDULE_STEPS = 100_000_000;
/** Classes of a semi-supervised D. */
export const MAX_CLASSES = 1000;
