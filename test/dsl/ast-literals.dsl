# RUN: mnistc %s --emit=ast | FileCheck %s --strict-whitespace --match-full-lines
#
# --emit=ast on every kind of literal, without meaning: the parser does not
# know layers, so `f(...)` is fine here. A parenthesized value is the value
# itself, `(x,)` and `()` are tuples; a leading '-' belongs to the number
# (located at the '-'); numbers keep their spelling except for '_'
# separators; strings print with their escapes; names may be dotted.
# The checks below use absolute line numbers: the model is on lines 10-17.

model literals {
  input(shape=(784,))
  f(a=(2), b=((3)), c=(), d=(1, 2,), e=((1, 2), (3,)))
  f(g=[], h=[1, [2]], i=[(4)], j=[5,])
  f(-1, -0.5, - 3, -1e-3, .5, 1e-3, 1.5E+2, 1_000, 0, 2.)
  f("a\"b", 'it\'s', "back\\slash", "new\nline", 'x"y', "", 'say "hi"')
  f(True, False, None, name, x.y.z, f2(), f3()(g))
}

# CHECK:Module
# CHECK-NEXT:  Model literals @10:1
# CHECK-NEXT:    Call input @11:3
# CHECK-NEXT:      Kwarg shape @11:9
# CHECK-NEXT:        Tuple @11:15
# CHECK-NEXT:          Int 784 @11:16
# CHECK-NEXT:    Call f @12:3
# CHECK-NEXT:      Kwarg a @12:5
# CHECK-NEXT:        Int 2 @12:8
# CHECK-NEXT:      Kwarg b @12:12
# CHECK-NEXT:        Int 3 @12:16
# CHECK-NEXT:      Kwarg c @12:21
# CHECK-NEXT:        Tuple @12:23
# CHECK-NEXT:      Kwarg d @12:27
# CHECK-NEXT:        Tuple @12:29
# CHECK-NEXT:          Int 1 @12:30
# CHECK-NEXT:          Int 2 @12:33
# CHECK-NEXT:      Kwarg e @12:38
# CHECK-NEXT:        Tuple @12:40
# CHECK-NEXT:          Tuple @12:41
# CHECK-NEXT:            Int 1 @12:42
# CHECK-NEXT:            Int 2 @12:45
# CHECK-NEXT:          Tuple @12:49
# CHECK-NEXT:            Int 3 @12:50
# CHECK-NEXT:    Call f @13:3
# CHECK-NEXT:      Kwarg g @13:5
# CHECK-NEXT:        List @13:7
# CHECK-NEXT:      Kwarg h @13:11
# CHECK-NEXT:        List @13:13
# CHECK-NEXT:          Int 1 @13:14
# CHECK-NEXT:          List @13:17
# CHECK-NEXT:            Int 2 @13:18
# CHECK-NEXT:      Kwarg i @13:23
# CHECK-NEXT:        List @13:25
# CHECK-NEXT:          Int 4 @13:27
# CHECK-NEXT:      Kwarg j @13:32
# CHECK-NEXT:        List @13:34
# CHECK-NEXT:          Int 5 @13:35
# CHECK-NEXT:    Call f @14:3
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Int -1 @14:5
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Float -0.5 @14:9
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Int -3 @14:15
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Float -1e-3 @14:20
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Float .5 @14:27
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Float 1e-3 @14:31
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Float 1.5E+2 @14:37
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Int 1000 @14:45
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Int 0 @14:52
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Float 2. @14:55
# CHECK-NEXT:    Call f @15:3
# CHECK-NEXT:      Arg
# CHECK-NEXT:        String "a\"b" @15:5
# CHECK-NEXT:      Arg
# CHECK-NEXT:        String "it's" @15:13
# CHECK-NEXT:      Arg
# CHECK-NEXT:        String "back\\slash" @15:22
# CHECK-NEXT:      Arg
# CHECK-NEXT:        String "new\nline" @15:37
# CHECK-NEXT:      Arg
# CHECK-NEXT:        String "x\"y" @15:50
# CHECK-NEXT:      Arg
# CHECK-NEXT:        String "" @15:57
# CHECK-NEXT:      Arg
# CHECK-NEXT:        String "say \"hi\"" @15:61
# CHECK-NEXT:    Call f @16:3
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Bool True @16:5
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Bool False @16:11
# CHECK-NEXT:      Arg
# CHECK-NEXT:        None @16:18
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Name name @16:24
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Name x.y.z @16:30
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Call f2 @16:37
# CHECK-NEXT:      Arg
# CHECK-NEXT:        Call @16:43
# CHECK-NEXT:          Call f3 @16:43
# CHECK-NEXT:          Arg
# CHECK-NEXT:            Name g @16:48
# CHECK-NOT:{{.+}}
