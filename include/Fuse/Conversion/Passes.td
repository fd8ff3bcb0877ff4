//===- Passes.td - Fuse conversion passes ------------------*- tablegen -*-===//

#ifndef FUSE_CONVERSION_PASSES_TD
#define FUSE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseToLinalg : Pass<"fuse-to-linalg", "ModuleOp"> {
  let summary = "Lower fuse ops to linalg, tensor, arith and math on tensors";
  let description = [{
    One pattern per fuse op; the bodies of `fuse.group` lower the same way
    (the group is inlined). Elementwise ops become `linalg.generic` with
    numpy-broadcasting indexing maps; contractions, pools and reductions
    become `linalg.generic` with reduction iterators (or named ops);
    data movement uses `tensor` ops where they express it exactly and
    `linalg.generic` with `tensor.extract` otherwise; scatters, whose updates
    apply in order, are `scf.for` nests over `tensor.insert`. `fuse.constant`
    becomes `arith.constant` (dense and dense_resource alike). An op
    without a lowering is an error naming it.

    f16 and bf16 matmuls and convolutions (conv_transpose, and attention's
    two products, which lower to them) accumulate in f32: the operands are
    extended in the contraction's body, the accumulator is an f32 tensor,
    and one `arith.truncf` per element rounds the result, as ONNX Runtime
    and the GPU kernels do (`wide-accumulation=false`: in the element
    type). Sums (reduce sum, mean, prod, l1, l2, log_sum, log_sum_exp),
    softmax, log_softmax and layer_norm do the same: their folds are f32
    and the normalizing arithmetic runs in f32 before the one rounding;
    max and min stay in the element type.
  }];
  let options = [
    Option<"wideAccumulation", "wide-accumulation", "bool",
           /*default=*/"true",
           "Accumulate f16/bf16 matmuls, convolutions, sums, softmax and "
           "layer_norm in f32 (rounded once at the end); false: in the "
           "element type (fuse-tile lowers a GPU group's contractions in "
           "the element type, as its GEMM kernels accumulate in f32 "
           "themselves, and its reductions wide)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def FuseGpuGemm : Pass<"fuse-gpu-gemm", "::mlir::func::FuncOp"> {
  let summary = "Emit tensor-core (mma.sync, wgmma) GEMM kernels for tuned contractions";
  let description = [{
    Runs on bufferized IR (GPU pipeline step 4). A tuned forall the pass
    declines gets `fuse.generic_reason` = "fuse-gpu-gemm: why" (the first
    condition that failed), which the fusion report shows. Every `scf.forall` mapped
    to `#gpu.block` that carries `fuse.tile = #fuse.tile<"mma_sync", {BM,
    BN, BK, stages, warps}>` and whose body is `linalg.fill` + a
    contraction (any transposition of A and B, optionally one batch
    dimension of tile size 1) + elementwise epilogue generics is replaced by
    one `gpu.launch`: a BM x BN block tile, operand tiles staged in
    XOR-swizzled dynamic shared memory by a `stages`-deep `cp.async`
    pipeline, `ldmatrix` fragments feeding `mma.sync` m16n8k16 (f16 through
    nvgpu.mma.sync, bf16 through nvvm.mma.sync; f32 accumulation) in a grid of warp tiles, and the epilogue applied to
    the accumulator registers before a single store. f16/bf16 operands are
    copied with cp.async; f32 operands with `fuse.precision = "fp16"` or
    `"bf16"` on the forall are converted while staging (register load,
    cvt, st.shared). An operand whose rows are not whole aligned 16-byte
    chunks (a contiguous dimension that is not a multiple of 8 halves or 4
    floats, a misaligned view; e.g. a vocabulary of 6625 columns) is staged
    element by element instead: guarded register loads, one st.shared per
    chunk, converted where the precision asks; the warpgroup kernel leaves
    such a GEMM to this one. Foralls it does not handle (other
    implementations, other shapes) are left to the generic path; an
    mma_sync choice whose parameters do not form valid warp tiles is an
    error.

    Convolutions (the conv `linalg.generic` of fuse-to-linalg, 2-D, groups
    1, tiled by fuse-tile as filters x output positions) run as an
    implicit GEMM: M = the tile's output positions, N = filters, K = C x KH
    x KW. The A tile (im2col rows) is gathered element by element with the
    padding as bounds predicates (zero outside; the tile's padded copy, or
    the tiled pad's guard, is read as such), converted while staging where
    the precision asks; an elementwise producer fused into the conv's tile
    (an activation or residual add before it) is evaluated while gathering.
    The weights are a K-contiguous [F][K] operand copied by cp.async
    (gathered when K is not a multiple of a chunk). A bias init is added in
    the epilogue. Grouped convs (2-D, groups of at least 8 filters and a
    reduction of 16) are tiled by fuse-tile with every tile's filters in
    one group (the group index a grid dimension): the input map's
    `f floordiv (F/groups)` is 0 in the tile, whose input view holds its
    group's channels. Depthwise convs stay on the generic path (the group
    records why, `fuse.generic_reason`). A conv_transpose (2-D, groups 1)
    reads its spread input through the strided copy's predicates: output
    o takes input (o + pad - k * dilation) / stride only when the division
    is exact and in range, the spread buffer is never built; the weight
    [C][F][K...] is gathered through the flip's map (c, f, K - 1 - k).

    Foralls tuned as `#fuse.tile<"wgmma", {BM, BN, BK, stages,
    warpgroups}>` get the warpgroup kernel (sm_90a, `chip` must say so):
    warpgroups of 128 threads, each owning BM / warpgroups rows of the
    block tile; f16/bf16 operand tiles (f32 converted at fp16/bf16
    precision) staged by a `stages`-deep cp.async pipeline into the 128-byte
    (64-/32-byte for narrower rows) swizzled layout `wgmma.mma_async`
    m64nBNk16 reads through shared-memory matrix descriptors (K-major or
    M/N-major, as A and B are contiguous); fence.proxy.async before the
    barrier of a K step, wgmma.fence / commit_group / wait_group around its
    MMAs; f32 accumulators in registers, and the same fused epilogue as
    mma_sync. f32 at tf32 precision uses m64nBNk8 tf32 when A and B are both
    K-contiguous (wgmma cannot transpose 32-bit operands; other tf32 bodies,
    and bodies the analysis does not match, are left to the generic path).
    With `tma = 1` in the tile, A and B that are row-major views of
    buffers from outside the tile loop spanning their buffer's K, with
    128-byte shared rows (64 f16/bf16 or 32 f32 of the contiguous dim) and
    no conversion, are loaded by TMA instead: a tensor map per operand made
    on the host (`nvgpu.tma.create.descriptor`, 128-byte swizzle like the
    wgmma descriptors, the operand's tile as box; the kernel receives it as
    a pointer to the CUtensorMap in device memory), one mbarrier per stage,
    thread 0 issuing `arrive.expect_tx` and the stage's
    `cp.async.bulk.tensor` boxes, every thread waiting on the stage's phase
    parity before the barrier of a K step. Other operands keep cp.async;
    `fuse.wgmma_loads` on the launch says how each operand is loaded and
    why not by TMA. `tma` other than 0 or 1 is an error.
    A wgmma choice at another chip, or with a tile the instruction cannot
    cover (BN not a power of two in [16, 256], BM not a multiple of 64 x
    warpgroups, too many accumulators, too much shared memory), is an
    error.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"\"",
           "The chip the kernels are for (e.g. sm_80, sm_90a); wgmma "
           "kernels need sm_90a">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def FuseGpuSimtGemm : Pass<"fuse-gpu-simt-gemm", "::mlir::func::FuncOp"> {
  let summary = "Emit register-blocked fp32 SIMT GEMM kernels for fma_gemm "
                "contractions";
  let description = [{
    Runs on bufferized IR after `fuse-gpu-gemm` (GPU pipeline step 4).
    Every `scf.forall` mapped to `#gpu.block` that carries `fuse.tile =
    #fuse.tile<"fma_gemm", {BM, BN, BK, warps, ...}>` and whose body is
    `linalg.fill` + an f32 contraction (any indexing of A and B; besides
    one m and one n dimension, only dimensions of tile size 1) + elementwise
    epilogue generics is replaced by one `gpu.launch`: a BM x BN block tile computed by 32 x
    warps threads, each a TM x TN micro-tile of accumulators in registers
    (TM x TN = BM x BN / threads); the A and B tiles of a BK step are staged
    k-major in two dynamic shared-memory buffers (the next step is loaded
    from global memory into registers, with 128-bit loads where the operand
    is contiguous and aligned, while the current one is computed; one
    barrier per step); per k, vector ld.shared of the thread's A and B
    values and TM x TN fma; the epilogue is applied in registers before
    one guarded store per element. Partial tiles are zero-filled and
    guarded. A 2-D convolution or conv_transpose that fuse-tile tiled as an
    implicit GEMM (`fuse.implicit_gemm`: filters x output positions, any
    padding, stride and dilation, grouped convolutions other than depthwise,
    ungrouped conv_transposes, which read their spread input through
    exact-division predicates and their flipped weight) is the
    same kernel: the A tile is gathered from the input with the
    convolution's indexing (the same gather as fuse-gpu-gemm's
    implicit-GEMM convolutions). Foralls with other implementations or
    bodies are left alone; an fma_gemm choice whose parameters do not form
    a thread grid of micro-tiles, or that needs more shared memory than the
    limit, is an error.
  }];
  let options = [
    Option<"sharedMemoryLimit", "shared-memory-limit", "int64_t",
           /*default=*/"166912",
           "Dynamic shared memory a kernel may use, in bytes (sm_80: "
           "166912)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def FuseGpuDepthwise : Pass<"fuse-gpu-depthwise", "::mlir::func::FuncOp"> {
  let summary = "Emit direct depthwise-convolution kernels for depthwise "
                "tiles";
  let description = [{
    Runs on bufferized IR after `fuse-gpu-simt-gemm` (GPU pipeline step 4).
    Every `scf.forall` mapped to `#gpu.block` that carries `fuse.tile =
    #fuse.tile<"depthwise", {BM, BN, warps, ...}>` and whose body is a 2-D
    depthwise convolution generic (one input channel per filter: the input
    map reads the filter's own channel, any padding, stride and dilation),
    its initialization (`linalg.fill`, or a copy of the bias) and
    elementwise epilogue generics is replaced by one `gpu.launch`. A block
    computes the tile's BN (at most) channels by th x tw output positions
    (fuse-tile tiles the conv so; th x tw <= BM) with 32 x warps threads:

    1. it stages each channel's input window (the taps of the tile's
       outputs, halo included) in static shared memory as f32, in one
       coalesced pass: padding, the tile's borders and an elementwise
       producer fused in front of the conv (an activation or residual add,
       computed from its inputs) are resolved while staging, so the window
       holds the conv's padded input;
    2. it stages the tile's taps ([BN][KH x KW], f32) after the window;
    3. each thread computes outputs (consecutive threads on consecutive
       output columns): the window offset of every tap is a constant, so
       an output is KH x KW ld.shared pairs and FMAs in f32, unrolled;
    4. the epilogue (the bias, the group's activation, residual add or
       scale) is applied in registers, rounded to the result type, and
       each output is stored once, guarded by the tile's extent.

    Foralls with other implementations, and depthwise tiles the kernel does
    not take (an input map that is not linear in the loops, more than 256
    taps, non-float data), are left alone for `fuse-gpu-map-tiles`; a
    depthwise choice whose window and taps need more shared memory than
    the limit, or whose tile has more channels than BN, is an error.
  }];
  let options = [
    Option<"sharedMemoryLimit", "shared-memory-limit", "int64_t",
           /*default=*/"49152",
           "Static shared memory a kernel may use, in bytes (48 KiB, "
           "the static limit of every target)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def FuseGpuAttention : Pass<"fuse-gpu-attention", "ModuleOp"> {
  let summary = "Emit one FlashAttention-2 kernel per flash_attention group";
  let description = [{
    Runs on a tiled module before `fuse-to-linalg` (tensor level). Every
    `fuse.group` whose `fuse.tile` is `#fuse.tile<"flash_attention",
    {BQ, BKV, warps, stages}>` and whose body is one `fuse.attention`
    and the views around it that its addressing folds in (fuse-tile
    isolates them) gets them replaced by `bufferization.to_buffer` of the
    operands, a `memref.alloc` for the output, one `gpu.launch` and
    `bufferization.to_tensor restrict writable`, which one-shot-bufferize
    accepts.

    Strided addressing: Q, K and V may be produced in the group by
    `fuse.reshape`, `fuse.transpose`, `fuse.slice` (positive steps),
    `fuse.split` and `fuse.add` of such views (e.g. the [B,S,H*D] ->
    [B,H,S,D] head split of a projection, a third of a fused QKV buffer,
    its bias): the kernel reads each as the sum of at most 4
    `memref.reinterpret_cast` views with static strides of its sources'
    row-major buffers; a `fuse.transpose` / `fuse.reshape` chain after the
    attention (the heads merged back) is folded into the strides of the
    output's stores. A view strides cannot express (a reshape merging dims
    a transpose made non-contiguous) is left to a kernel of its own by
    fuse-tile. The launch carries
    `fuse.kernel = "group_<N>"` (N = the group's position in the module)
    and `fuse.attention_tile` (the parameters it was built with); a kernel
    whose shared memory leaves no room for a second block on an SM also
    carries `fuse.kernel_attrs = {nvvm.minctasm = 1}`, which the GPU
    pipeline puts on the outlined kernel (`.minnctapersm 1`: ptxas then
    does not cap the registers for occupancy the shared memory rules out).

    The kernel: one block per (BQ query rows, leading index); `warps`
    warps own BQ/warps rows each. The Q tile is staged in shared memory
    once; K/V tiles of BKV rows are streamed through shared memory (two
    buffers when stages >= 2: the next tile is loaded while the current
    one is used). Per tile a warp computes its scores, applies the scale,
    the additive mask and (causal) the diagonal mask, updates the running
    row max (warp shuffles), rescales its accumulator and running sum by
    exp(m_old - m_new) and adds P.V; one division at the end. Causal
    blocks stop at the last tile that holds a visible key.

    Math: fp32 on the FMA pipes (a lane owns score columns lane + 32c and
    output columns lane + 32c; P goes through shared memory); with f16 or
    bf16 operands, or precision fp16|bf16 (the group's `fuse.precision`,
    or the `precision` option), both products run on tensor
    cores (mma.sync m16n8k16: f16 through nvgpu.mma.sync, bf16 through
    nvvm.mma.sync; fp32 accumulators, 16-bit tiles in shared memory, P
    kept in registers, rounded to the operand type, as the A operand of
    P.V).

    Head dims: any, up to 256 (value dim up to 128 on the FMA pipes). A
    head dim off the kernel's units is padded in shared memory with
    zeros, which add nothing to Q.K^T: to a multiple of 16 (tensor cores)
    or 4 (FMA) for Q and K, of 8 (tensor cores) or 32 (FMA) for V; the
    padding columns of O are not stored (e.g. PP-OCRv4 rec's 8 heads of
    15).

    `host=true` emits the same kernel as host loops (for checking its
    numbers with fuse-run): every phase between barriers/shuffles runs for
    all threads of a block before the next, the threads' registers are
    per-thread buffers, shuffles and mma.sync are emulated lane by lane.
  }];
  let options = [
    Option<"sharedMemoryLimit", "shared-memory-limit", "int64_t",
           /*default=*/"166912",
           "Dynamic shared memory a kernel may use, in bytes (sm_80: "
           "166912; sm_90: 232448); stages, then BKV, are reduced to fit">,
    Option<"precision", "precision", "std::string", /*default=*/"\"\"",
           "Math of f32 attention, as fuse-tile's: fp32 and tf32 (FMA), "
           "fp16 or bf16 (tensor cores: operands rounded, fp32 "
           "accumulation); f16/bf16 operands always use tensor cores. "
           "Empty (the default): each group's `fuse.precision` (fuse-tile "
           "records --precision there), fp32 where it has none; given, it "
           "overrides the groups'">,
    Option<"bf16Mma", "bf16-mma", "bool", /*default=*/"true",
           "bf16 on tensor cores (nvvm.mma.sync); false: bf16 attention "
           "runs the fp32 FMA kernel">,
    Option<"host", "host", "bool", /*default=*/"false",
           "Emit the algorithm as host loops instead of a gpu.launch (to "
           "check its numbers on the CPU with fuse-run): the same tiles, "
           "staging, masking, tile count and online softmax, with blocks, "
           "warps and rows run one after the other">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def FuseGpuMapTiles : Pass<"fuse-gpu-map-tiles", "::mlir::func::FuncOp"> {
  let summary = "Map each block-mapped tile loop to one gpu.launch (the "
                "generic GPU path)";
  let description = [{
    Runs after bufferization and the kernel emitters of the GPU pipeline.
    Every `scf.forall` mapped to `#gpu.block` left becomes one `gpu.launch`
    (with `fuse.kernel_impl`: the tile kind, or "generic" for a loop tuned
    for a kernel of its own, which keeps the `fuse.generic_reason` the
    kernel pass that declined it recorded, "pass: reason"):
    the grid is the loop's trip counts (x innermost), the block the tile's
    threads (`fuse.tile` threads, else warps x 32, else 256, capped to the
    largest parallel iteration space of the tile body). Each linalg op of
    the tile body becomes a loop distributed over the threads (its parallel
    iteration space linearized, the reduction dims a sequential loop per
    thread accumulating in registers), memref.copy likewise; an op that
    cannot be distributed runs on thread 0. gpu.barrier separates the ops
    that touch memory. Per-tile buffers (`memref.alloc` in the body) are
    placed in workgroup memory while they fit in 48 KiB; the others become
    each block's slice of a global scratch buffer allocated on the host
    (`global-scratch`, the default; without it they are an error naming the
    group). linalg ops at host level become one single-block launch each
    (`host_<N>`). A memref.copy at host level between memrefs that are
    not contiguous (bufferization's copy of a strided view that is then
    collapsed) becomes one launch too (`host_copy_<N>`), its elements
    shared by the threads of all its blocks (the bundle copies only
    contiguous ranges itself). The launch carries the loop's `fuse.kernel`
    and `fuse.tile` attributes.

    Vector access: with a tile `vector` V > 1 (of an `elementwise` tile, or
    the epilogue width of an `fma_gemm` one), an all-parallel op whose
    outputs are contiguous along the innermost loop dim and provably
    aligned (buffers of the host are 16-byte aligned, the tile's offsets
    and outer strides multiples of V) and a memref.copy likewise become a
    loop where each thread handles V consecutive elements with
    `vector.load`/`vector.store` (`alignment` = V x element bytes, 128-bit
    for 4 x f32 or 8 x f16), the payload once per lane, inputs broadcast
    along the dim loaded once, contiguous inputs of unknown alignment
    (shared memory) one scalar per lane; then a scalar loop over the rest
    of each row. Otherwise (an output that is strided or unaligned, an
    operand that moves the innermost dim, V = 1) the scalar loop.

    Transposes: an all-parallel op with one output whose input (indexed by
    the innermost loop dim) has another loop dim innermost goes through a
    32 x 33 workgroup tile per 32 x 32 piece of the plane of the two dims:
    a read with consecutive threads along the input's innermost dim, a
    barrier, the payload and a write along the output's, a barrier.

    Row reductions of `row_per_warp` / `row_per_block` tiles (a linalg op
    whose innermost dim is a reduction and whose payload folds each output
    with add/mul/max/min (float or integer), and/or/xor, or is the
    arg_max/arg_min value-index pair) use warp shuffles instead: with
    `row_per_warp` each warp owns rows of the op, its lanes stride over the
    row (consecutive lanes, consecutive elements) and 5 `gpu.shuffle xor`
    butterfly steps combine their partial results, which every lane then
    holds; with `row_per_block` the whole block shares each row, the warps'
    partial results meet in a workgroup buffer and a second butterfly
    combines them. Partial results combine with the payload's own op (NaN
    behaves as on the CPU path); lanes without elements keep the output's
    value (idempotent ops) or the op's identity, so any row length works. The
    block then has 32 threads per row of the op (`row_per_warp`); blocks
    that are not whole warps and reductions over outer dims keep the
    sequential loop per output element.

    Scatters (the loop over a tile's updates that fuse-tile builds, marked
    `fuse.scatter_updates`): the iterations are spread over the block's
    threads, one update each, and each read-modify-write of the result
    becomes one atomic: `memref.atomic_rmw addf` / `addi` (32 and 64 bit)
    for an add, else a compare-and-swap loop on the element's bits
    (`llvm.cmpxchg`) around the combination (mul, max, min, adds of 8- and
    16-bit integers). A plain store (`reduction = none`) stays a store, so
    which of several updates of one element lands is undefined, as ONNX
    says.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"globalScratch", "global-scratch", "bool", /*default=*/"true",
           "Per-tile buffers that do not fit in shared memory go to a "
           "global scratch buffer (else they are an error)">,
  ];
}

#endif // FUSE_CONVERSION_PASSES_TD
