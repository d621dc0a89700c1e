// RUN: mnistc-opt %s -split-input-file -verify-diagnostics -allow-unregistered-dialect
// The shape rules of the training graph's ops.

%x = "test.x"() : () -> tensor<?x4xf32>
%w = "test.w"() : () -> tensor<5x3xf32>
// expected-error @+1 {{'nn.linear' op kernel rows is 5, expected 4}}
%y = nn.linear %x, %w {activation = #nn<activation relu>} : (tensor<?x4xf32>, tensor<5x3xf32>) -> tensor<?x3xf32>

// -----

%x = "test.x"() : () -> tensor<?x4xf32>
%w = "test.w"() : () -> tensor<4x3xf32>
%b = "test.b"() : () -> tensor<2xf32>
// expected-error @+1 {{'nn.linear' op bias length is 2, expected 3}}
%y = nn.linear %x, %w, %b {activation = #nn<activation relu>} : (tensor<?x4xf32>, tensor<4x3xf32>, tensor<2xf32>) -> tensor<?x3xf32>

// -----

%x = "test.x"() : () -> tensor<?x4xf32>
%w = "test.w"() : () -> tensor<4x3xf32>
// expected-error @+1 {{softmax is fused into the loss}}
%y = nn.linear %x, %w {activation = #nn<activation softmax>} : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>

// -----

%z = "test.z"() : () -> tensor<?x10xf32>
%l = "test.l"() : () -> tensor<?x2xi32>
// expected-error @+1 {{labels must be class indices}}
%loss, %c, %d = nn.softmax_cross_entropy %z, %l : tensor<?x10xf32>, tensor<?x2xi32> -> tensor<f32>, tensor<i32>, tensor<?x10xf32>

// -----

%y = "test.y"() : () -> tensor<?x4xf32>
// expected-error @+1 {{takes relu, sigmoid or tanh}}
%d = nn.activation_grad %y, %y {activation = #nn<activation linear>} : tensor<?x4xf32>

// -----

%x = "test.x"() : () -> tensor<?x4xf32>
%g = "test.g"() : () -> tensor<?x3xf32>
// expected-error @+1 {{'nn.matmul_grad_kernel' op result rows is 5, expected 4}}
%dw = nn.matmul_grad_kernel %x, %g : tensor<?x4xf32>, tensor<?x3xf32> -> tensor<5x3xf32>

// -----

%g = "test.g"() : () -> tensor<?x3xf32>
%w = "test.w"() : () -> tensor<4x2xf32>
// expected-error @+1 {{'nn.matmul_grad_input' op grad width is 3, expected 2}}
%dx = nn.matmul_grad_input %g, %w : tensor<?x3xf32>, tensor<4x2xf32> -> tensor<?x4xf32>

// -----

%g = "test.g"() : () -> tensor<?x3xf32>
// expected-error @+1 {{'nn.bias_grad' op result length is 4, expected 3}}
%db = nn.bias_grad %g : tensor<?x3xf32> -> tensor<4xf32>

// -----

%w = "test.w"() : () -> tensor<4x3xf32>
%g = "test.g"() : () -> tensor<4x2xf32>
%lr = "test.lr"() : () -> f32
// expected-error @+1 {{gradient matches its parameter}}
"nn.sgd_update"(%w, %g, %lr) <{momentum = 0.0 : f64, nesterov = false}> : (tensor<4x3xf32>, tensor<4x2xf32>, f32) -> ()

// -----

%dy = "test.dy"() : () -> tensor<?x4x4x2xf32>
%x = "test.x"() : () -> tensor<?x4x4x2xf32>
%g = "test.g"() : () -> tensor<2xf32>
// expected-error @+1 {{needs the forward's output to take the activation's gradient}}
%dx, %dg, %db = nn.batch_norm_grad %dy, %x, %g, %g, %g {activation = #nn<activation relu>, epsilon = 1.0e-3 : f64} : tensor<?x4x4x2xf32>, tensor<2xf32> -> tensor<?x4x4x2xf32>, tensor<2xf32>

// -----

%dy = "test.dy"() : () -> tensor<?x4x4x2xf32>
%x = "test.x"() : () -> tensor<?x4x4x2xf32>
%g = "test.g"() : () -> tensor<2xf32>
// expected-error @+1 {{takes an output only with an activation}}
%dx, %dg, %db = nn.batch_norm_grad %dy, %x, %g, %g, %g output %x : tensor<?x4x4x2xf32> {epsilon = 1.0e-3 : f64} : tensor<?x4x4x2xf32>, tensor<2xf32> -> tensor<?x4x4x2xf32>, tensor<2xf32>
