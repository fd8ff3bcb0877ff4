// Canonicalization of the fuse dialect: every folder and pattern in
// FuseFolds.cpp, each followed by near-misses that must stay unchanged.
// RUN: fuse-opt %s --canonicalize --split-input-file | FileCheck %s

//===----------------------------------------------------------------------===//
// Arithmetic identities
//===----------------------------------------------------------------------===//

// x + 0 and 0 + x fold when the result has x's type (a broadcast zero of
// lower rank included); so do x - 0, x * 1, 1 * x, x / 1 and x ^ 1.
// CHECK-LABEL: func.func @identities(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NOT: fuse.
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]] :
func.func @identities(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = fuse.constant dense<0.0> : tensor<3xf32>
  %one = fuse.constant dense<1.0> : tensor<2x3xf32>
  %0 = fuse.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = fuse.add %zero, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = fuse.sub %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = fuse.mul %x, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = fuse.mul %one, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = fuse.div %x, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = fuse.pow %x, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// The same identities on integers (splat 0 and 1 of i64 / i32), and with
// -0.0 (which compares equal to 0.0).
// CHECK-LABEL: func.func @identities_int(
// CHECK-SAME: %[[I:[a-zA-Z0-9_]+]]: tensor<4xi64>, %[[J:[a-zA-Z0-9_]+]]: tensor<4xi32>, %[[F:[a-zA-Z0-9_]+]]: tensor<4xf16>)
// CHECK-NOT: fuse.
// CHECK: return %[[I]], %[[I]], %[[J]], %[[J]], %[[J]], %[[F]] :
func.func @identities_int(%i: tensor<4xi64>, %j: tensor<4xi32>, %f: tensor<4xf16>) -> (tensor<4xi64>, tensor<4xi64>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf16>) {
  %z = fuse.constant dense<0> : tensor<4xi64>
  %o = fuse.constant dense<1> : tensor<i32>
  %nz = fuse.constant dense<-0.0> : tensor<4xf16>
  %0 = fuse.add %z, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = fuse.sub %i, %z : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %2 = fuse.mul %j, %o : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %3 = fuse.div %j, %o : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %4 = fuse.pow %j, %o : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %5 = fuse.add %f, %nz : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi64>, tensor<4xi64>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf16>
}

// -----

// Near-misses: x + 0 where the zero broadcasts x to a larger shape, 0 - x,
// 1 / x, x + 1, x * 0 (NaN * 0 is not 0), x ^ 2, 1 ^ x and a non-splat
// "mostly zero" constant all stay.
// CHECK-LABEL: func.func @identity_near_misses(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[Y:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-DAG: %[[ZERO:.*]] = fuse.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[ONE:.*]] = fuse.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[TWO:.*]] = fuse.constant dense<2.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[MOSTLY:.*]] = fuse.constant dense<[0.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[V0:.*]] = fuse.add %[[X]], %[[ZERO]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: %[[V1:.*]] = fuse.sub %[[ZERO]], %[[Y]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: %[[V2:.*]] = fuse.div %[[ONE]], %[[Y]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: %[[V3:.*]] = fuse.add %[[Y]], %[[ONE]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: %[[V4:.*]] = fuse.mul %[[Y]], %[[ZERO]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: %[[V5:.*]] = fuse.pow %[[Y]], %[[TWO]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: %[[V6:.*]] = fuse.pow %[[ONE]], %[[Y]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: %[[V7:.*]] = fuse.add %[[Y]], %[[MOSTLY]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]] :
func.func @identity_near_misses(%x: tensor<3xf32>, %y: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = fuse.constant dense<0.0> : tensor<2x3xf32>
  %one = fuse.constant dense<1.0> : tensor<2x3xf32>
  %two = fuse.constant dense<2.0> : tensor<2x3xf32>
  %mostly = fuse.constant dense<[0.0, 0.0, 1.0]> : tensor<3xf32>
  %0 = fuse.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = fuse.sub %zero, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = fuse.div %one, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = fuse.add %y, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = fuse.mul %y, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = fuse.pow %y, %two : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = fuse.pow %one, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = fuse.add %y, %mostly : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// max(x, x) and min(x, x) are x (floats and integers); max(x, y) stays.
// CHECK-LABEL: func.func @max_min_same(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[Y:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<4xi32>)
// CHECK: %[[M:.*]] = fuse.max %[[X]], %[[Y]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: fuse.
// CHECK: return %[[X]], %[[X]], %[[I]], %[[M]] :
func.func @max_min_same(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>) {
  %0 = fuse.max %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = fuse.min %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = fuse.max %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = fuse.max %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Involutions and idempotent unary ops
//===----------------------------------------------------------------------===//

// neg(neg x) = x, not(not x) = x, relu(relu x) = relu x, abs(abs x) = abs x.
// CHECK-LABEL: func.func @involutions(
// CHECK-SAME: %[[B:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<4xi32>)
// CHECK-NEXT: %[[R:.*]] = fuse.relu %[[X]] : tensor<4xf32>
// CHECK-NEXT: %[[A:.*]] = fuse.abs %[[I]] : tensor<4xi32>
// CHECK-NEXT: return %[[B]], %[[X]], %[[I]], %[[R]], %[[A]] :
func.func @involutions(%b: tensor<4xi1>, %x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xi1>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>) {
  %0 = fuse.not %b : tensor<4xi1>
  %1 = fuse.not %0 : tensor<4xi1>
  %2 = fuse.neg %x : tensor<4xf32>
  %3 = fuse.neg %2 : tensor<4xf32>
  %4 = fuse.neg %i : tensor<4xi32>
  %5 = fuse.neg %4 : tensor<4xi32>
  %6 = fuse.relu %x : tensor<4xf32>
  %7 = fuse.relu %6 : tensor<4xf32>
  %8 = fuse.relu %7 : tensor<4xf32>
  %9 = fuse.abs %i : tensor<4xi32>
  %10 = fuse.abs %9 : tensor<4xi32>
  return %1, %3, %5, %8, %10 : tensor<4xi1>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>
}

// -----

// Near-misses: a single neg / not, abs(neg x), relu(neg x), neg(abs x).
// CHECK-LABEL: func.func @involution_near_misses(
// CHECK-SAME: %[[B:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK: %[[NOT:.*]] = fuse.not %[[B]] : tensor<4xi1>
// CHECK: %[[NEG:.*]] = fuse.neg %[[X]] : tensor<4xf32>
// CHECK: %[[ABS:.*]] = fuse.abs %[[NEG]] : tensor<4xf32>
// CHECK: %[[RELU:.*]] = fuse.relu %[[NEG]] : tensor<4xf32>
// CHECK: %[[ABS2:.*]] = fuse.abs %[[X]] : tensor<4xf32>
// CHECK: %[[NEG2:.*]] = fuse.neg %[[ABS2]] : tensor<4xf32>
// CHECK: return %[[NOT]], %[[NEG]], %[[ABS]], %[[RELU]], %[[NEG2]] :
func.func @involution_near_misses(%b: tensor<4xi1>, %x: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = fuse.not %b : tensor<4xi1>
  %1 = fuse.neg %x : tensor<4xf32>
  %2 = fuse.abs %1 : tensor<4xf32>
  %3 = fuse.relu %1 : tensor<4xf32>
  %4 = fuse.abs %x : tensor<4xf32>
  %5 = fuse.neg %4 : tensor<4xf32>
  return %0, %1, %2, %3, %5 : tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// clip, cast, select
//===----------------------------------------------------------------------===//

// clip without bounds (or with explicit infinite ones) is the identity;
// cast to the same type too.
// CHECK-LABEL: func.func @clip_cast_identity(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<4xi64>)
// CHECK-NOT: fuse.
// CHECK: return %[[X]], %[[X]], %[[I]], %[[X]], %[[I]] :
func.func @clip_cast_identity(%x: tensor<4xf32>, %i: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi64>, tensor<4xf32>, tensor<4xi64>) {
  %0 = fuse.clip %x : tensor<4xf32>
  %1 = fuse.clip %x {min = 0xFFF0000000000000 : f64, max = 0x7FF0000000000000 : f64} : tensor<4xf32>
  %2 = fuse.clip %i : tensor<4xi64>
  %3 = fuse.cast %x : tensor<4xf32> -> tensor<4xf32>
  %4 = fuse.cast %i : tensor<4xi64> -> tensor<4xi64>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xi64>, tensor<4xf32>, tensor<4xi64>
}

// -----

// Near-misses: clip with one finite bound, a real cast, cast round trips.
// CHECK-LABEL: func.func @clip_cast_near_misses(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK: %[[C0:.*]] = fuse.clip %[[X]] {min = 0.000000e+00 : f64} : tensor<4xf32>
// CHECK: %[[C1:.*]] = fuse.clip %[[X]] {max = 6.000000e+00 : f64} : tensor<4xf32>
// CHECK: %[[H:.*]] = fuse.cast %[[X]] : tensor<4xf32> -> tensor<4xf16>
// CHECK: %[[F:.*]] = fuse.cast %[[H]] : tensor<4xf16> -> tensor<4xf32>
// CHECK: return %[[C0]], %[[C1]], %[[H]], %[[F]] :
func.func @clip_cast_near_misses(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf32>) {
  %0 = fuse.clip %x {min = 0.0 : f64} : tensor<4xf32>
  %1 = fuse.clip %x {max = 6.0 : f64} : tensor<4xf32>
  %2 = fuse.cast %x : tensor<4xf32> -> tensor<4xf16>
  %3 = fuse.cast %2 : tensor<4xf16> -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf32>
}

// -----

// select with a splat constant condition picks a side; select(c, x, x) is x.
// CHECK-LABEL: func.func @select(
// CHECK-SAME: %[[C:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[A:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NOT: fuse.
// CHECK: return %[[A]], %[[B]], %[[A]] :
func.func @select(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %t = fuse.constant dense<true> : tensor<4xi1>
  %f = fuse.constant dense<false> : tensor<1xi1>
  %0 = fuse.select %t, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = fuse.select %f, %a, %b : (tensor<1xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = fuse.select %c, %a, %a : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Near-misses: a non-splat constant condition; a splat condition whose
// chosen side would need broadcasting; a condition that broadcasts the
// shared side.
// CHECK-LABEL: func.func @select_near_misses(
// CHECK-SAME: %[[A:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[S:[a-zA-Z0-9_]+]]: tensor<1xf32>, %[[C:[a-zA-Z0-9_]+]]: tensor<2x4xi1>)
// CHECK-DAG: %[[MIX:.*]] = fuse.constant dense<[true, false, true, false]> : tensor<4xi1>
// CHECK-DAG: %[[T:.*]] = fuse.constant dense<true> : tensor<4xi1>
// CHECK-DAG: %[[V0:.*]] = fuse.select %[[MIX]], %[[A]], %[[B]] : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-DAG: %[[V1:.*]] = fuse.select %[[T]], %[[S]], %[[A]] : (tensor<4xi1>, tensor<1xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-DAG: %[[V2:.*]] = fuse.select %[[C]], %[[A]], %[[A]] : (tensor<2x4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: return %[[V0]], %[[V1]], %[[V2]] :
func.func @select_near_misses(%a: tensor<4xf32>, %b: tensor<4xf32>, %s: tensor<1xf32>, %c: tensor<2x4xi1>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>) {
  %mix = fuse.constant dense<[true, false, true, false]> : tensor<4xi1>
  %t = fuse.constant dense<true> : tensor<4xi1>
  %0 = fuse.select %mix, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = fuse.select %t, %s, %a : (tensor<4xi1>, tensor<1xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = fuse.select %c, %a, %a : (tensor<2x4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// Identity transpose, transpose of transpose (composed perm p1[p2[i]]),
// a pair that composes to the identity.
// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[S:[a-zA-Z0-9_]+]]: tensor<f32>)
// perm [0, 2, 1] then [1, 0, 2]: composed [2, 0, 1], shape 4x2x3
// CHECK: %[[T:.*]] = fuse.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NOT: fuse.
// CHECK: return %[[X]], %[[T]], %[[X]], %[[S]] :
func.func @transpose(%x: tensor<2x3x4xf32>, %s: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<4x2x3xf32>, tensor<2x3x4xf32>, tensor<f32>) {
  %0 = fuse.transpose %x {perm = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %1 = fuse.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %2 = fuse.transpose %1 {perm = array<i64: 1, 0, 2>} : tensor<2x4x3xf32> -> tensor<4x2x3xf32>
  // [1, 2, 0] then [2, 0, 1]: composed [0, 1, 2]
  %3 = fuse.transpose %x {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %4 = fuse.transpose %3 {perm = array<i64: 2, 0, 1>} : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  %5 = fuse.transpose %s {perm = array<i64>} : tensor<f32> -> tensor<f32>
  return %0, %2, %4, %5 : tensor<2x3x4xf32>, tensor<4x2x3xf32>, tensor<2x3x4xf32>, tensor<f32>
}

// -----

// A non-identity transpose stays, even on a square shape where the type
// does not change.
// CHECK-LABEL: func.func @transpose_near_miss(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<3x3xf32>)
// CHECK: %[[T:.*]] = fuse.transpose %[[X]] {perm = array<i64: 1, 0>} : tensor<3x3xf32> -> tensor<3x3xf32>
// CHECK: return %[[T]] :
func.func @transpose_near_miss(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = fuse.transpose %x {perm = array<i64: 1, 0>} : tensor<3x3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// reshape to the same type; reshape chains collapse to one reshape (or to
// nothing when they come back to the input type); reshape of a dense
// constant is a constant.
// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK-DAG: %[[C:.*]] = fuse.constant dense<{{\[\[}}1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
// CHECK-DAG: %[[R:.*]] = fuse.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NOT: fuse.
// CHECK: return %[[X]], %[[R]], %[[X]], %[[C]] :
func.func @reshape(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<24xf32>, tensor<2x3x4xf32>, tensor<2x3xi64>) {
  %0 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %1 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %2 = fuse.reshape %1 : tensor<6x4xf32> -> tensor<24xf32>
  %3 = fuse.reshape %2 : tensor<24xf32> -> tensor<2x3x4xf32>
  %c = fuse.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %4 = fuse.reshape %c : tensor<6xi64> -> tensor<2x3xi64>
  return %0, %2, %3, %4 : tensor<2x3x4xf32>, tensor<24xf32>, tensor<2x3x4xf32>, tensor<2x3xi64>
}

// -----

// A reshape of a block argument or of a dense_resource constant stays.
// CHECK-LABEL: func.func @reshape_near_misses(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-DAG: %[[C:.*]] = fuse.constant dense_resource<blob> : tensor<2xf32>
// CHECK-DAG: %[[R:.*]] = fuse.reshape %[[X]] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-DAG: %[[RC:.*]] = fuse.reshape %[[C]] : tensor<2xf32> -> tensor<1x2xf32>
// CHECK: return %[[R]], %[[RC]] :
func.func @reshape_near_misses(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<1x2xf32>) {
  %0 = fuse.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  %c = fuse.constant dense_resource<blob> : tensor<2xf32>
  %1 = fuse.reshape %c : tensor<2xf32> -> tensor<1x2xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<1x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// concat of one input, a full slice (every axis [0, dim) step 1, or no
// axes at all), a zero pad (any mode), tile by ones, expand to the same type.
// CHECK-LABEL: func.func @data_movement_identities(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NOT: fuse.
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]] :
func.func @data_movement_identities(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = fuse.concat %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = fuse.slice %x {axes = array<i64: 1, 0>, ends = array<i64: 3, 2>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = fuse.slice %x {axes = array<i64>, ends = array<i64>, starts = array<i64>, steps = array<i64>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = fuse.pad %x {pads = array<i64: 0, 0, 0, 0>, value = 5.0 : f64} : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = fuse.pad %x {mode = #fuse.pad_mode<reflect>, pads = array<i64: 0, 0, 0, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %5 = fuse.tile %x {repeats = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %6 = fuse.expand %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Near-misses: a strided slice, a full-range reversal (step -1), a partial
// slice, a non-zero pad, a cropping pad, a pad that grows one dim and crops
// another (same type!), tile by 2, a real expand, concat of two.
// CHECK-LABEL: func.func @data_movement_near_misses(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[R:[a-zA-Z0-9_]+]]: tensor<3xf32>)
// CHECK: %[[V0:.*]] = fuse.slice %[[X]] {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 0>, steps = array<i64: 2>} : tensor<2x3xf32> -> tensor<2x2xf32>
// CHECK: %[[V1:.*]] = fuse.slice %[[X]] {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 2>, steps = array<i64: -1>} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V2:.*]] = fuse.slice %[[X]] {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 1>, steps = array<i64: 1>} : tensor<2x3xf32> -> tensor<2x2xf32>
// CHECK: %[[V3:.*]] = fuse.pad %[[X]] {pads = array<i64: 0, 1, 0, 0>} : tensor<2x3xf32> -> tensor<2x4xf32>
// CHECK: %[[V4:.*]] = fuse.pad %[[X]] {pads = array<i64: 0, 1, 0, -1>} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[V5:.*]] = fuse.tile %[[X]] {repeats = array<i64: 2, 1>} : tensor<2x3xf32> -> tensor<4x3xf32>
// CHECK: %[[V6:.*]] = fuse.expand %[[R]] : tensor<3xf32> -> tensor<2x3xf32>
// CHECK: %[[V7:.*]] = fuse.concat %[[X]], %[[X]] {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
// CHECK: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]] :
func.func @data_movement_near_misses(%x: tensor<2x3xf32>, %r: tensor<3xf32>) -> (tensor<2x2xf32>, tensor<2x3xf32>, tensor<2x2xf32>, tensor<2x4xf32>, tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>) {
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 0>, steps = array<i64: 2>} : tensor<2x3xf32> -> tensor<2x2xf32>
  %1 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 2>, steps = array<i64: -1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 1>, steps = array<i64: 1>} : tensor<2x3xf32> -> tensor<2x2xf32>
  %3 = fuse.pad %x {pads = array<i64: 0, 1, 0, 0>} : tensor<2x3xf32> -> tensor<2x4xf32>
  %4 = fuse.pad %x {pads = array<i64: 0, 1, 0, -1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %5 = fuse.tile %x {repeats = array<i64: 2, 1>} : tensor<2x3xf32> -> tensor<4x3xf32>
  %6 = fuse.expand %r : tensor<3xf32> -> tensor<2x3xf32>
  %7 = fuse.concat %x, %x {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x2xf32>, tensor<2x3xf32>, tensor<2x2xf32>, tensor<2x4xf32>, tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>
}

// -----

// expand of a splat constant is a splat constant of the result shape; a
// non-splat constant is not expanded.
// CHECK-LABEL: func.func @expand_constant(
// CHECK-DAG: %[[SPLAT:.*]] = fuse.constant dense<2.500000e+00> : tensor<3x4xf32>
// CHECK-DAG: %[[INT:.*]] = fuse.constant dense<7> : tensor<2x2xi32>
// CHECK-DAG: %[[C:.*]] = fuse.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[E:.*]] = fuse.expand %[[C]] : tensor<2xf32> -> tensor<3x2xf32>
// CHECK: return %[[SPLAT]], %[[INT]], %[[E]] :
func.func @expand_constant() -> (tensor<3x4xf32>, tensor<2x2xi32>, tensor<3x2xf32>) {
  %s = fuse.constant dense<2.5> : tensor<1x4xf32>
  %0 = fuse.expand %s : tensor<1x4xf32> -> tensor<3x4xf32>
  %i = fuse.constant dense<7> : tensor<i32>
  %1 = fuse.expand %i : tensor<i32> -> tensor<2x2xi32>
  %c = fuse.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %2 = fuse.expand %c : tensor<2xf32> -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<2x2xi32>, tensor<3x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Constant folding
//===----------------------------------------------------------------------===//

// Unary float folders on small constants (values chosen to be exact or
// printed in full): exp(0) = 1, exp(1) = e, log(1) = 0, sqrt(4) = 2,
// rsqrt(16) = 0.25, 1 / -4 = -0.25, sigmoid(0) = 0.5, tanh(0) = 0,
// erf(0) = 0, sin(0) = 0, cos(0) = 1.
// CHECK-LABEL: func.func @fold_unary(
// CHECK-DAG: %[[EXP:.*]] = fuse.constant dense<[1.000000e+00, 2.71828175]> : tensor<2xf32>
// CHECK-DAG: %[[LOG:.*]] = fuse.constant dense<[0.000000e+00, 1.38629436]> : tensor<2xf32>
// CHECK-DAG: %[[SQRT:.*]] = fuse.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[RSQRT:.*]] = fuse.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[RECIP:.*]] = fuse.constant dense<[5.000000e-01, -2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[SIG:.*]] = fuse.constant dense<5.000000e-01> : tensor<3xf32>
// CHECK-DAG: %[[ZERO:.*]] = fuse.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-DAG: %[[ONE:.*]] = fuse.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NOT: fuse.exp
// CHECK-NOT: fuse.log
// CHECK-NOT: fuse.sqrt
// CHECK-NOT: fuse.rsqrt
// CHECK-NOT: fuse.reciprocal
// CHECK-NOT: fuse.sigmoid
// CHECK-NOT: fuse.tanh
// CHECK-NOT: fuse.erf
// CHECK-NOT: fuse.sin
// CHECK-NOT: fuse.cos
// CHECK: return %[[EXP]], %[[LOG]], %[[SQRT]], %[[RSQRT]], %[[RECIP]], %[[SIG]], %[[ZERO]], %[[ZERO]], %[[ZERO]], %[[ONE]] :
func.func @fold_unary() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %a = fuse.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = fuse.exp %a : tensor<2xf32>
  %b = fuse.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %1 = fuse.log %b : tensor<2xf32>
  %c = fuse.constant dense<[4.0, 9.0]> : tensor<2xf32>
  %2 = fuse.sqrt %c : tensor<2xf32>
  %d = fuse.constant dense<[4.0, 16.0]> : tensor<2xf32>
  %3 = fuse.rsqrt %d : tensor<2xf32>
  %e = fuse.constant dense<[2.0, -4.0]> : tensor<2xf32>
  %4 = fuse.reciprocal %e : tensor<2xf32>
  %z = fuse.constant dense<0.0> : tensor<3xf32>
  %5 = fuse.sigmoid %z : tensor<3xf32>
  %6 = fuse.tanh %z : tensor<3xf32>
  %7 = fuse.erf %z : tensor<3xf32>
  %8 = fuse.sin %z : tensor<3xf32>
  %9 = fuse.cos %z : tensor<3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Rounding folders: floor/ceil of +-1.5; round is ties-to-even
// (0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2); neg, abs, relu and clip
// (to [0, 6]) on floats.
// CHECK-LABEL: func.func @fold_unary_rounding(
// CHECK-DAG: %[[FLOOR:.*]] = fuse.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[CEIL:.*]] = fuse.constant dense<[2.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[ROUND:.*]] = fuse.constant dense<[0.000000e+00, 2.000000e+00, 2.000000e+00, -2.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[NEG:.*]] = fuse.constant dense<[1.000000e+00, -5.000000e-01, -7.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[ABS:.*]] = fuse.constant dense<[1.000000e+00, 5.000000e-01, 7.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[RELU:.*]] = fuse.constant dense<[0.000000e+00, 5.000000e-01, 7.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[CLIP:.*]] = fuse.constant dense<[0.000000e+00, 5.000000e-01, 6.000000e+00]> : tensor<3xf32>
// CHECK-NOT: fuse.floor
// CHECK-NOT: fuse.ceil
// CHECK-NOT: fuse.round
// CHECK-NOT: fuse.neg
// CHECK-NOT: fuse.abs
// CHECK-NOT: fuse.relu
// CHECK-NOT: fuse.clip
// CHECK: return %[[FLOOR]], %[[CEIL]], %[[ROUND]], %[[NEG]], %[[ABS]], %[[RELU]], %[[CLIP]] :
func.func @fold_unary_rounding() -> (tensor<2xf32>, tensor<2xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %h = fuse.constant dense<[1.5, -1.5]> : tensor<2xf32>
  %0 = fuse.floor %h : tensor<2xf32>
  %1 = fuse.ceil %h : tensor<2xf32>
  %t = fuse.constant dense<[0.5, 1.5, 2.5, -2.5]> : tensor<4xf32>
  %2 = fuse.round %t : tensor<4xf32>
  %v = fuse.constant dense<[-1.0, 0.5, 7.0]> : tensor<3xf32>
  %3 = fuse.neg %v : tensor<3xf32>
  %4 = fuse.abs %v : tensor<3xf32>
  %5 = fuse.relu %v : tensor<3xf32>
  %6 = fuse.clip %v {min = 0.0 : f64, max = 6.0 : f64} : tensor<3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2xf32>, tensor<2xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Folding keeps the element type: exp(1) rounds to 2.71875 in f16 and in
// bf16.
// CHECK-LABEL: func.func @fold_unary_half(
// CHECK-DAG: %[[H:.*]] = fuse.constant dense<2.718750e+00> : tensor<2xf16>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<2.718750e+00> : tensor<2xbf16>
// CHECK-NOT: fuse.exp
// CHECK: return %[[H]], %[[B]] :
func.func @fold_unary_half() -> (tensor<2xf16>, tensor<2xbf16>) {
  %h = fuse.constant dense<1.0> : tensor<2xf16>
  %0 = fuse.exp %h : tensor<2xf16>
  %b = fuse.constant dense<1.0> : tensor<2xbf16>
  %1 = fuse.exp %b : tensor<2xbf16>
  return %0, %1 : tensor<2xf16>, tensor<2xbf16>
}

// -----

// Binary float folders, elementwise and with a broadcast splat:
// [1, 3] + [2, 4] = [3, 7]; [1, 3] - [2, 4] = [-1, -1]; [1, 3] * [2, 4]
// = [2, 12]; [1, 3] / [2, 4] = [0.5, 0.75]; [1, 3] ^ [2, 4] = [1, 81];
// max = [2, 4]; min = [1, 3]; 1.5 + 2 = 3.5 (splats stay splats);
// splat 0.5 (shape [1]) + [1, 3] = [1.5, 3.5].
// CHECK-LABEL: func.func @fold_binary_float(
// CHECK-DAG: %[[ADD:.*]] = fuse.constant dense<[3.000000e+00, 7.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[SUB:.*]] = fuse.constant dense<-1.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[MUL:.*]] = fuse.constant dense<[2.000000e+00, 1.200000e+01]> : tensor<2xf32>
// CHECK-DAG: %[[DIV:.*]] = fuse.constant dense<[5.000000e-01, 7.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[POW:.*]] = fuse.constant dense<[1.000000e+00, 8.100000e+01]> : tensor<2xf32>
// CHECK-DAG: %[[MAX:.*]] = fuse.constant dense<[2.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[MIN:.*]] = fuse.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[SPLAT:.*]] = fuse.constant dense<3.500000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[BCAST:.*]] = fuse.constant dense<[1.500000e+00, 3.500000e+00]> : tensor<2xf32>
// CHECK-NOT: fuse.add
// CHECK-NOT: fuse.sub
// CHECK-NOT: fuse.mul
// CHECK-NOT: fuse.div
// CHECK-NOT: fuse.pow
// CHECK-NOT: fuse.max
// CHECK-NOT: fuse.min
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[POW]], %[[MAX]], %[[MIN]], %[[SPLAT]], %[[BCAST]] :
func.func @fold_binary_float() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>) {
  %a = fuse.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %b = fuse.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %0 = fuse.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = fuse.sub %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %2 = fuse.mul %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %3 = fuse.div %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %4 = fuse.pow %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %5 = fuse.max %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %6 = fuse.min %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %s = fuse.constant dense<1.5> : tensor<2x2xf32>
  %t = fuse.constant dense<2.0> : tensor<2xf32>
  %7 = fuse.add %s, %t : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %u = fuse.constant dense<0.5> : tensor<1xf32>
  %8 = fuse.add %u, %a : (tensor<1xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>
}

// -----

// Binary integer folders: [4, -7] + [3, 2] = [7, -5]; [4, -7] - [3, 2]
// = [1, -9]; [4, -7] * [3, 2] = [12, -14]; [4, -7] / [3, 2] = [1, -3]
// (truncating toward zero); signed max [4, 2], min [3, -7]; i32 addition
// wraps: 2147483647 + 1 = -2147483648.
// CHECK-LABEL: func.func @fold_binary_int(
// CHECK-DAG: %[[ADD:.*]] = fuse.constant dense<[7, -5]> : tensor<2xi64>
// CHECK-DAG: %[[SUB:.*]] = fuse.constant dense<[1, -9]> : tensor<2xi64>
// CHECK-DAG: %[[MUL:.*]] = fuse.constant dense<[12, -14]> : tensor<2xi64>
// CHECK-DAG: %[[DIV:.*]] = fuse.constant dense<[1, -3]> : tensor<2xi64>
// CHECK-DAG: %[[MAX:.*]] = fuse.constant dense<[4, 2]> : tensor<2xi64>
// CHECK-DAG: %[[MIN:.*]] = fuse.constant dense<[3, -7]> : tensor<2xi64>
// CHECK-DAG: %[[WRAP:.*]] = fuse.constant dense<-2147483648> : tensor<i32>
// CHECK-NOT: fuse.add
// CHECK-NOT: fuse.sub
// CHECK-NOT: fuse.mul
// CHECK-NOT: fuse.div
// CHECK-NOT: fuse.max
// CHECK-NOT: fuse.min
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[MAX]], %[[MIN]], %[[WRAP]] :
func.func @fold_binary_int() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<i32>) {
  %a = fuse.constant dense<[4, -7]> : tensor<2xi64>
  %b = fuse.constant dense<[3, 2]> : tensor<2xi64>
  %0 = fuse.add %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %1 = fuse.sub %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %2 = fuse.mul %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %3 = fuse.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %4 = fuse.max %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %5 = fuse.min %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %m = fuse.constant dense<2147483647> : tensor<i32>
  %o = fuse.constant dense<1> : tensor<i32>
  %6 = fuse.add %m, %o : (tensor<i32>, tensor<i32>) -> tensor<i32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<i32>
}

// -----

// A chain of foldable ops becomes one constant: (1 + 2) * 4 - 2 = 10.
// CHECK-LABEL: func.func @fold_chain(
// CHECK-NEXT: %[[C:.*]] = fuse.constant dense<1.000000e+01> : tensor<3xf32>
// CHECK-NEXT: return %[[C]] : tensor<3xf32>
func.func @fold_chain() -> tensor<3xf32> {
  %a = fuse.constant dense<1.0> : tensor<3xf32>
  %b = fuse.constant dense<2.0> : tensor<3xf32>
  %c = fuse.constant dense<4.0> : tensor<3xf32>
  %0 = fuse.add %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = fuse.mul %0, %c : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %2 = fuse.sub %1, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %2 : tensor<3xf32>
}

// -----

// Integer division by a constant zero is not folded (nor is any other lane
// of that division); a non-splat constant that needs broadcasting is not
// folded either.
// CHECK-LABEL: func.func @fold_near_misses(
// CHECK-DAG: %[[I:.*]] = fuse.constant dense<[4, 7]> : tensor<2xi64>
// CHECK-DAG: %[[K:.*]] = fuse.constant dense<[1, 0]> : tensor<2xi64>
// CHECK-DAG: %[[Z:.*]] = fuse.constant dense<0> : tensor<2xi32>
// CHECK-DAG: %[[R:.*]] = fuse.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[M:.*]] = fuse.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[D0:.*]] = fuse.div %[[I]], %[[K]] : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
// CHECK-DAG: %[[D1:.*]] = fuse.div %[[Z]], %[[Z]] : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
// CHECK-DAG: %[[A:.*]] = fuse.add %[[R]], %[[M]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[D0]], %[[D1]], %[[A]] :
func.func @fold_near_misses() -> (tensor<2xi64>, tensor<2xi32>, tensor<2x3xf32>) {
  %i = fuse.constant dense<[4, 7]> : tensor<2xi64>
  %k = fuse.constant dense<[1, 0]> : tensor<2xi64>
  %0 = fuse.div %i, %k : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %z = fuse.constant dense<0> : tensor<2xi32>
  %1 = fuse.div %z, %z : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %r = fuse.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %m = fuse.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %2 = fuse.add %r, %m : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2xi64>, tensor<2xi32>, tensor<2x3xf32>
}

// -----

// Float division by zero does fold (to inf, IEEE semantics).
// CHECK-LABEL: func.func @fold_float_div_zero(
// CHECK-NEXT: %[[C:.*]] = fuse.constant dense<[0x7F800000, 0xFF800000]> : tensor<2xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_float_div_zero() -> tensor<2xf32> {
  %a = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %z = fuse.constant dense<0.0> : tensor<2xf32>
  %0 = fuse.div %a, %z : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// The size limit: non-splat constants fold up to 4096 elements; a
// 4097-element non-splat constant is not folded (unary or binary); splats
// fold at any size (100 * 100 = 10000 elements).
// CHECK-LABEL: func.func @fold_limit(
// CHECK-DAG: %[[BIG:.*]] = fuse.constant dense<"0x0000003C0040{{[0-9A-F]*}}"> : tensor<4097xf16>
// CHECK-DAG: %[[ONE:.*]] = fuse.constant dense<1.000000e+00> : tensor<4097xf16>
// CHECK-DAG: %[[EXPBIG:.*]] = fuse.exp %[[BIG]] : tensor<4097xf16>
// CHECK-DAG: %[[ADDBIG:.*]] = fuse.add %[[ONE]], %[[BIG]] : (tensor<4097xf16>, tensor<4097xf16>) -> tensor<4097xf16>
// CHECK-DAG: %[[EXP4096:.*]] = fuse.constant dense<"0x003C{{[0-9A-F]*}}"> : tensor<64x64xf16>
// CHECK-DAG: %[[SPLATADD:.*]] = fuse.constant dense<3.000000e+00> : tensor<100x100xf32>
// CHECK-DAG: %[[SPLATEXP:.*]] = fuse.constant dense<1.000000e+00> : tensor<100x100xf32>
// CHECK: return %[[EXPBIG]], %[[ADDBIG]], %[[EXP4096]], %[[SPLATADD]], %[[SPLATEXP]] :
func.func @fold_limit() -> (tensor<4097xf16>, tensor<4097xf16>, tensor<64x64xf16>, tensor<100x100xf32>, tensor<100x100xf32>) {
  %big = fuse.constant dense<"0x0000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C"> : tensor<4097xf16>
  %0 = fuse.exp %big : tensor<4097xf16>
  %one = fuse.constant dense<1.0> : tensor<4097xf16>
  %1 = fuse.add %one, %big : (tensor<4097xf16>, tensor<4097xf16>) -> tensor<4097xf16>
  %limit = fuse.constant dense<"0x0000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000003C004000420044004500460000"> : tensor<64x64xf16>
  %2 = fuse.exp %limit : tensor<64x64xf16>
  %s1 = fuse.constant dense<1.0> : tensor<100x100xf32>
  %s2 = fuse.constant dense<2.0> : tensor<100x100xf32>
  %3 = fuse.add %s1, %s2 : (tensor<100x100xf32>, tensor<100x100xf32>) -> tensor<100x100xf32>
  %z = fuse.constant dense<0.0> : tensor<100x100xf32>
  %4 = fuse.exp %z : tensor<100x100xf32>
  return %0, %1, %2, %3, %4 : tensor<4097xf16>, tensor<4097xf16>, tensor<64x64xf16>, tensor<100x100xf32>, tensor<100x100xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Inside fuse.group
//===----------------------------------------------------------------------===//

// Folding works inside a group's isolated body: x + 0 folds to the block
// argument and the now-dead constant goes away.
// CHECK-LABEL: func.func @in_group(
// CHECK-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT: %[[G:.*]] = fuse.group(%[[X]]) : (tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: ^bb0(%[[A:[a-zA-Z0-9_]+]]: tensor<4xf32>):
// CHECK-NEXT: %[[R:.*]] = fuse.relu %[[A]] : tensor<4xf32>
// CHECK-NEXT: fuse.yield %[[R]] : tensor<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[G]]
func.func @in_group(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %z = fuse.constant dense<0.0> : tensor<4xf32>
    %s = fuse.add %a, %z : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %r = fuse.relu %s : tensor<4xf32>
    %t = fuse.relu %r : tensor<4xf32>
    fuse.yield %t : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
