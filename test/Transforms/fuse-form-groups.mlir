// RUN: fuse-opt %s -split-input-file --fuse-form-groups | FileCheck %s
// Idempotent: a grouped function is left as it is.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-form-groups | FileCheck %s

// A matmul with its bias add and activation: one group; splat constants
// are cloned in (fuse-form-groups-options.mlir has weights as inputs).
// CHECK-LABEL: func.func @matmul_epilogue(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<8x32xf32>
// CHECK-NEXT: %[[G:.*]] = fuse.group(%[[X]])
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<8x32xf32>):
// CHECK-NEXT: %[[W:.*]] = fuse.constant dense<1.000000e+00> : tensor<32x16xf32>
// CHECK-NEXT: %[[BIAS:.*]] = fuse.constant dense<5.000000e-01> : tensor<16xf32>
// CHECK-NEXT: %[[M:.*]] = fuse.matmul %[[A]], %[[W]]
// CHECK-NEXT: %[[S:.*]] = fuse.add %[[M]], %[[BIAS]]
// CHECK-NEXT: %[[R:.*]] = fuse.relu %[[S]]
// CHECK-NEXT: fuse.yield %[[R]] : tensor<8x16xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @matmul_epilogue(%x: tensor<8x32xf32>) -> tensor<8x16xf32> {
  %w = fuse.constant dense<1.0> : tensor<32x16xf32>
  %b = fuse.constant dense<0.5> : tensor<16xf32>
  %m = fuse.matmul %x, %w : (tensor<8x32xf32>, tensor<32x16xf32>) -> tensor<8x16xf32>
  %s = fuse.add %m, %b : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %r = fuse.relu %s : tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

// ManyToMany -> ManyToMany does not fuse (near-miss of the case above):
// the exp seed grows along its successor first, into the softmax, and the
// matmul cannot join that group.
// CHECK-LABEL: func.func @many_to_many_stops(
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.matmul
// CHECK-NEXT: fuse.yield
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.exp
// CHECK-NEXT: fuse.softmax
// CHECK-NEXT: fuse.yield
// CHECK-NOT: fuse.group
func.func @many_to_many_stops(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %m = fuse.matmul %x, %w : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %e = fuse.exp %m : tensor<8x8xf32>
  %s = fuse.softmax %e {axis = 1 : i64} : tensor<8x8xf32>
  return %s : tensor<8x8xf32>
}

// -----

// OneToMany -> ManyToMany does not fuse: an expand of a runtime value in
// front of a matmul stays a group of its own; so does a broadcasting add of
// two runtime values (a broadcast of a constant would count as OneToOne).
// CHECK-LABEL: func.func @one_to_many_before_matmul(
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.add
// CHECK-NEXT: fuse.yield
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.matmul
// CHECK-NEXT: fuse.yield
func.func @one_to_many_before_matmul(%x: tensor<8x8xf32>, %y: tensor<8xf32>, %w: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %a = fuse.add %x, %y : (tensor<8x8xf32>, tensor<8xf32>) -> tensor<8x8xf32>
  %m = fuse.matmul %a, %w : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %m : tensor<8x8xf32>
}

// -----

// An elementwise prologue in front of a matmul is fused (OneToOne ->
// ManyToMany is legal, and with one column tile nothing is recomputed).
// CHECK-LABEL: func.func @prologue(
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.relu
// CHECK-NEXT: fuse.matmul
// CHECK-NEXT: fuse.yield
// CHECK-NOT: fuse.group
func.func @prologue(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %a = fuse.relu %x : tensor<8x8xf32>
  %m = fuse.matmul %a, %w : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %m : tensor<8x8xf32>
}

// -----

// Near-miss of the prologue case: with 16384 output columns (128 column
// tiles) the exp would be recomputed 128 times per element: 508 MFLOP,
// 7.6 us at 67 TFLOP/s, more than the 2.5 us the saved 8 MB of DRAM
// traffic take at 3.35 TB/s. So the exp stays its own group.
// CHECK-LABEL: func.func @prologue_recompute_too_costly(
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.exp
// CHECK-NEXT: fuse.yield
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.matmul
// CHECK-NEXT: fuse.yield
func.func @prologue_recompute_too_costly(%x: tensor<1024x1024xf32>, %w: tensor<1024x16384xf32>) -> tensor<1024x16384xf32> {
  %a = fuse.exp %x : tensor<1024x1024xf32>
  %m = fuse.matmul %a, %w : (tensor<1024x1024xf32>, tensor<1024x16384xf32>) -> tensor<1024x16384xf32>
  return %m : tensor<1024x16384xf32>
}

// -----

// An MLP (matmul, bias, gelu, matmul, bias): the bias and gelu between the
// matmuls are the first matmul's epilogue, not the second's prologue. The
// second matmul's seed (its bias add, the smaller result) grows first and
// would otherwise take the gelu in front of its left operand.
// CHECK-LABEL: func.func @mlp_epilogue_not_prologue(
// CHECK: %[[G0:.*]] = fuse.group
// CHECK-NEXT: ^bb0
// CHECK: fuse.matmul
// CHECK-NEXT: fuse.add
// CHECK-NEXT: %[[H:.*]] = fuse.gelu
// CHECK-NEXT: fuse.yield %[[H]]
// CHECK: fuse.group(%[[G0]]
// CHECK-NEXT: ^bb0
// CHECK-NOT: fuse.gelu
// CHECK: fuse.matmul
// CHECK-NEXT: fuse.add
// CHECK-NEXT: fuse.yield
func.func @mlp_epilogue_not_prologue(%x: tensor<64x128xf32>, %w1: tensor<128x512xf32>, %w2: tensor<512x128xf32>) -> tensor<64x128xf32> {
  %b1 = fuse.constant dense<0.5> : tensor<512xf32>
  %b2 = fuse.constant dense<0.25> : tensor<128xf32>
  %m1 = fuse.matmul %x, %w1 : (tensor<64x128xf32>, tensor<128x512xf32>) -> tensor<64x512xf32>
  %s1 = fuse.add %m1, %b1 : (tensor<64x512xf32>, tensor<512xf32>) -> tensor<64x512xf32>
  %h = fuse.gelu %s1 : tensor<64x512xf32>
  %m2 = fuse.matmul %h, %w2 : (tensor<64x512xf32>, tensor<512x128xf32>) -> tensor<64x128xf32>
  %s2 = fuse.add %m2, %b2 : (tensor<64x128xf32>, tensor<128xf32>) -> tensor<64x128xf32>
  return %s2 : tensor<64x128xf32>
}

// -----

// The same through a reshape in front of the second matmul: the reshape is
// a view of the epilogue's result and may join either group; the gelu stays
// the first matmul's.
// CHECK-LABEL: func.func @mlp_epilogue_through_reshape(
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK: fuse.matmul
// CHECK-NEXT: fuse.gelu
// CHECK: fuse.group
// CHECK-NOT: fuse.gelu
// CHECK: fuse.matmul
// CHECK: return
func.func @mlp_epilogue_through_reshape(%x: tensor<64x128xf32>, %w1: tensor<128x512xf32>, %w2: tensor<512x128xf32>) -> tensor<1x64x128xf32> {
  %m1 = fuse.matmul %x, %w1 : (tensor<64x128xf32>, tensor<128x512xf32>) -> tensor<64x512xf32>
  %h = fuse.gelu %m1 : tensor<64x512xf32>
  %r = fuse.reshape %h : tensor<64x512xf32> -> tensor<1x64x512xf32>
  %m2 = fuse.matmul %r, %w2 : (tensor<1x64x512xf32>, tensor<512x128xf32>) -> tensor<1x64x128xf32>
  %e = fuse.exp %m2 : tensor<1x64x128xf32>
  return %e : tensor<1x64x128xf32>
}

// -----

// Near-miss: the chain in front of the second matmul starts at a softmax,
// not at a GEMM's result through OneToOne ops only, so it has no epilogue
// to join and stays the second matmul's prologue as before.
// CHECK-LABEL: func.func @prologue_after_softmax(
// CHECK: fuse.group
// CHECK: fuse.softmax
// CHECK: fuse.yield
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.exp
// CHECK-NEXT: fuse.matmul
// CHECK-NEXT: fuse.yield
func.func @prologue_after_softmax(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>, %v: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %m1 = fuse.matmul %x, %w : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = fuse.softmax %m1 {axis = 1 : i64} : tensor<8x8xf32>
  %e = fuse.exp %s : tensor<8x8xf32>
  %m2 = fuse.matmul %e, %v : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %m2 : tensor<8x8xf32>
}

// -----

// Cycle avoidance: relu -> matmul -> matmul -> add, and relu -> add. The
// relu fuses with the first matmul; the add cannot join that group, because
// the path through the second matmul (which fuses with neither: ManyToMany
// -> ManyToMany) would make the groups depend on each other. The add fuses
// with the second matmul instead.
// CHECK-LABEL: func.func @no_cycle(
// CHECK: %[[G0:.*]]:2 = fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: %[[R:.*]] = fuse.relu
// CHECK-NEXT: %[[M:.*]] = fuse.matmul %[[R]]
// CHECK-NEXT: fuse.yield %[[R]], %[[M]]
// CHECK: %[[G1:.*]] = fuse.group(%[[G0]]#1, %{{.*}}, %[[G0]]#0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.matmul
// CHECK-NEXT: fuse.add
// CHECK-NEXT: fuse.yield
// CHECK: return %[[G1]]
func.func @no_cycle(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>, %v: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %r = fuse.relu %x : tensor<8x8xf32>
  %m1 = fuse.matmul %r, %w : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %m2 = fuse.matmul %m1, %v : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %a = fuse.add %r, %m2 : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %a : tensor<8x8xf32>
}

// -----

// A value used inside and outside its group becomes an extra result.
// CHECK-LABEL: func.func @multi_output(
// CHECK: %[[G:.*]]:2 = fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: %[[E:.*]] = fuse.exp
// CHECK-NEXT: %[[T:.*]] = fuse.tanh %[[E]]
// CHECK-NEXT: fuse.yield %[[E]], %[[T]]
// CHECK: return %[[G]]#0, %[[G]]#1
func.func @multi_output(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %e = fuse.exp %x : tensor<16xf32>
  %t = fuse.tanh %e : tensor<16xf32>
  return %e, %t : tensor<16xf32>, tensor<16xf32>
}

// -----

// Two independent chains stay two groups; every op is in exactly one.
// CHECK-LABEL: func.func @independent(
// CHECK-COUNT-2: fuse.group
// CHECK-NOT: fuse.group
func.func @independent(%x: tensor<16xf32>, %y: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %a = fuse.exp %x : tensor<16xf32>
  %b = fuse.neg %a : tensor<16xf32>
  %c = fuse.tanh %y : tensor<16xf32>
  %d = fuse.neg %c : tensor<16xf32>
  return %b, %d : tensor<16xf32>, tensor<16xf32>
}

// -----

// Data movement fuses: a transpose feeding an elementwise op, and a
// reshape after it.
// CHECK-LABEL: func.func @shuffle_and_reorganize(
// CHECK: fuse.group
// CHECK-NEXT: ^bb0
// CHECK-NEXT: fuse.transpose
// CHECK-NEXT: fuse.sigmoid
// CHECK-NEXT: fuse.reshape
// CHECK-NEXT: fuse.yield
// CHECK-NOT: fuse.group
func.func @shuffle_and_reorganize(%x: tensor<4x8xf32>) -> tensor<32xf32> {
  %t = fuse.transpose %x {perm = array<i64: 1, 0>} : tensor<4x8xf32> -> tensor<8x4xf32>
  %s = fuse.sigmoid %t : tensor<8x4xf32>
  %r = fuse.reshape %s : tensor<8x4xf32> -> tensor<32xf32>
  return %r : tensor<32xf32>
}
