// Verifier and type-inference errors of the index, scan and scatter ops:
// one case per distinct message, plus result types that differ from the
// inferred ones and element types the op does not take.
// RUN: fuse-opt %s -split-input-file -verify-diagnostics

func.func @arg_axis(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'axis' 2 is out of range for rank 2}}
  %0 = fuse.arg_max %x {axis = 2 : i64} : tensor<3x4xf32> -> tensor<3x4xi64>
  return
}

// -----

func.func @arg_empty(%x: tensor<3x0xf32>) {
  // expected-error @+1 {{cannot take the index of an element of an empty axis}}
  %0 = fuse.arg_min %x {axis = 1 : i64} : tensor<3x0xf32> -> tensor<3x1xi64>
  return
}

// -----

func.func @arg_result(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{result type(s) 'tensor<3xi64>' differ from the inferred type(s) 'tensor<3x1xi64>'}}
  %0 = fuse.arg_max %x {axis = 1 : i64} : tensor<3x4xf32> -> tensor<3xi64>
  return
}

// -----

func.func @arg_i32_result(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{must be statically shaped tensor of 64-bit signless integer values}}
  %0 = fuse.arg_max %x {axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x1xi32>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'axis' -1 is out of range for rank 2}}
  %0 = fuse.cumsum %x {axis = -1 : i64} : tensor<3x4xf32>
  return
}

// -----

func.func @cumsum_bool(%x: tensor<4xi1>) {
  // expected-error @+1 {{must be statically shaped tensor of}}
  %0 = fuse.cumsum %x {axis = 0 : i64} : tensor<4xi1>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<3x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{indices of rank 1 for data of rank 2 (expected equal ranks)}}
  %0 = fuse.gather_elements %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @gather_elements_dim(%x: tensor<3x4xf32>, %i: tensor<5x2xi64>) {
  // expected-error @+1 {{indices dim 0 (5) exceeds the data dim (3)}}
  %0 = fuse.gather_elements %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<5x2xi64>) -> tensor<5x2xf32>
  return
}

// -----

// The axis dim may be larger in indices (indices repeat positions).
func.func @gather_elements_result(%x: tensor<3x4xf32>, %i: tensor<3x6xi64>) {
  // expected-error @+1 {{result type(s) 'tensor<3x4xf32>' differ from the inferred type(s) 'tensor<3x6xf32>'}}
  %0 = fuse.gather_elements %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x6xi64>) -> tensor<3x4xf32>
  return
}

// -----

func.func @gather_elements_empty(%x: tensor<3x0xf32>, %i: tensor<3x2xi64>) {
  // expected-error @+1 {{cannot gather from an empty axis}}
  %0 = fuse.gather_elements %x, %i {axis = 1 : i64} : (tensor<3x0xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return
}

// -----

func.func @gather_nd_float_indices(%x: tensor<3x4xf32>, %i: tensor<2x1xf32>) {
  // expected-error @+1 {{must be statically shaped tensor of 64-bit signless integer or 32-bit signless integer values}}
  %0 = fuse.gather_nd %x, %i : (tensor<3x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gather_nd_tuple(%x: tensor<3x4xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{index tuples of size 3 do not fit data of rank 2 after 0 batch dims}}
  %0 = fuse.gather_nd %x, %i : (tensor<3x4xf32>, tensor<2x3xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_batch(%x: tensor<3x4xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+1 {{batch dim 0 differs: data has 3, indices 2}}
  %0 = fuse.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<3x4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_batch_range(%x: tensor<3x4xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+1 {{'batch_dims' 2 must be in [0, min(rank(data), rank(indices)))}}
  %0 = fuse.gather_nd %x, %i {batch_dims = 2 : i64} : (tensor<3x4xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @gather_nd_scalar_indices(%x: tensor<3x4xf32>, %i: tensor<i64>) {
  // expected-error @+1 {{indices must have rank >= 1}}
  %0 = fuse.gather_nd %x, %i : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
  return
}

// -----

func.func @gather_nd_empty(%x: tensor<0x4xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+1 {{cannot index an empty dim}}
  %0 = fuse.gather_nd %x, %i : (tensor<0x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gather_nd_result(%x: tensor<3x4xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+1 {{result type(s) 'tensor<2xf32>' differ from the inferred type(s) 'tensor<2x4xf32>'}}
  %0 = fuse.gather_nd %x, %i : (tensor<3x4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @scatter_elements_shapes(%x: tensor<3x3xf32>, %i: tensor<3x2xi64>, %u: tensor<3x1xf32>) {
  // expected-error @+1 {{indices (3x2) and updates (3x1) must have the same shape}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x1xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_dim(%x: tensor<3x3xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) {
  // expected-error @+1 {{indices dim 0 (4) exceeds the data dim (3)}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<3x3xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_rank(%x: tensor<3x3xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) {
  // expected-error @+1 {{indices of rank 1 for data of rank 2 (expected equal ranks)}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<3x3xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_axis(%x: tensor<3x3xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) {
  // expected-error @+1 {{'axis' 2 is out of range for rank 2}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 2 : i64} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_empty(%x: tensor<3x0xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) {
  // expected-error @+1 {{cannot scatter into an empty axis}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<3x0xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x0xf32>
  return
}

// -----

func.func @scatter_bool_reduction(%x: tensor<4xi1>, %i: tensor<2xi64>, %u: tensor<2xi1>) {
  // expected-error @+1 {{reduction 'add' needs a numeric element type}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<4xi1>, tensor<2xi64>, tensor<2xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @scatter_element_types(%x: tensor<4xf32>, %i: tensor<2xi64>, %u: tensor<2xf16>) {
  // expected-error @+1 {{all of {data, updates} have same element type}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<4xf32>, tensor<2xi64>, tensor<2xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_updates(%x: tensor<4x5xf32>, %i: tensor<3x1xi64>, %u: tensor<3xf32>) {
  // expected-error @+1 {{updates have shape 3, expected 3x5}}
  %0 = fuse.scatter_nd %x, %i, %u : (tensor<4x5xf32>, tensor<3x1xi64>, tensor<3xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_scalar(%x: tensor<f32>, %i: tensor<1xi64>, %u: tensor<f32>) {
  // expected-error @+1 {{data must have rank >= 1}}
  %0 = fuse.scatter_nd %x, %i, %u : (tensor<f32>, tensor<1xi64>, tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @scatter_nd_bool_reduction(%x: tensor<4xi1>, %i: tensor<2x1xi64>, %u: tensor<2xi1>) {
  // expected-error @+1 {{reduction 'mul' needs a numeric element type}}
  %0 = fuse.scatter_nd %x, %i, %u {reduction = #fuse.scatter_reduction<mul>} : (tensor<4xi1>, tensor<2x1xi64>, tensor<2xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @scatter_nd_result(%x: tensor<4xf32>, %i: tensor<2x1xi64>, %u: tensor<2xf32>) {
  // expected-error @+1 {{result type(s) 'tensor<2xf32>' differ from the inferred type(s) 'tensor<4xf32>'}}
  %0 = fuse.scatter_nd %x, %i, %u : (tensor<4xf32>, tensor<2x1xi64>, tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @trig_int(%x: tensor<4xi64>) {
  // expected-error @+1 {{must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values}}
  %0 = fuse.acosh %x : tensor<4xi64>
  return
}
