//===- Sema.cpp - From syntax to a checked layer graph --------------------===//
//
// Algorithm:
// 1. Exactly one `model NAME { ... }` block.
// 2. Decide its form: functional if any statement assigns (`y = ...`) or
//    calls output(...); sequential otherwise.
// 3. Sequential: the first statement is input(shape=...), each following
//    statement is one layer fed by the previous one; a model with no layer
//    after its input is an error.
// 4. Functional: collect the assignments, then resolve every name
//    depth-first. A name means its last assignment before the use, as in
//    Python (so `x = Dense(10)(x)` works); a name assigned only later is a
//    forward reference, which is how a cycle can arise. Undefined names,
//    cycles and results nothing uses are reported (unused names only when
//    nothing else was, since a failed statement leaves its inputs unused);
//    output(x) names the result. Layers are appended in dependency order.
// 5. Layers get Keras's default names (dense, dense_1, ...) unless given
//    name=...; names must be unique.
// 6. compile(...) and fit(...) are checked; a missing compile gets Keras-
//    tutorial defaults with a warning (left out after an error), a missing
//    fit Keras's defaults.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/Sema.h"

#include "compiler/Frontend/ArgCheck.h"

#include <cstdio>
#include <map>

namespace mnistc {

using dsl::Expr;
using dsl::Loc;

namespace {

class Sema {
public:
  explicit Sema(dsl::DiagnosticEngine &diags) : diags_(diags) {}

  std::optional<ModelGraph> run(const dsl::Module &module) {
    // Step 1.
    if (module.models.empty()) {
      Loc at = module.sections.empty() ? Loc{1, 1, 1}
                                       : module.sections.front().value->loc;
      diags_.error(at, "no model in this file; describe one with "
                       "model NAME { input(shape=(28, 28, 1)) ... }");
      return std::nullopt;
    }
    for (size_t i = 1; i < module.models.size(); ++i) {
      diags_.error(module.models[i].loc, "a file describes one model; move "
                                         "model '" + module.models[i].name +
                                         "' to a file of its own");
      diags_.note(module.models[0].loc, "the first model is here");
    }
    const dsl::ModelDecl &model = module.models.front();
    g_.name = model.name;
    g_.loc = model.nameLoc;

    // Step 2.
    for (const dsl::Statement &s : model.body)
      if (!s.target.empty() || s.value->calleeName() == "output")
        g_.functional = true;
    if (model.body.empty())
      diags_.error(model.nameLoc, "model '" + model.name + "' has no layers");
    else if (g_.functional)
      functional(model);
    else
      sequential(model);
    uniqueNames();
    sections(module);
    if (diags_.hadError())
      return std::nullopt;
    return std::move(g_);
  }

private:
  int addNode(const CallSpec &spec, Value call, Loc loc,
              std::vector<int> inputs) {
    std::string name;
    const Value &given = call.arg("name");
    if (!given.isNone()) {
      name = given.s;
    } else {
      int n = counters_[spec.snakeName]++;
      name = n ? spec.snakeName + "_" + std::to_string(n) : spec.snakeName;
    }
    g_.nodes.push_back({&spec, std::move(call), name, loc, std::move(inputs)});
    return static_cast<int>(g_.nodes.size()) - 1;
  }

  /// The layer (or input) a call names; reports and returns null otherwise.
  const CallSpec *layerSpec(const Expr &call) {
    if (call.kind != Expr::Call || call.callee->kind != Expr::Name) {
      diags_.error(call.loc, "expected a layer such as Dense(10), found " +
                                 describeFound(call));
      return nullptr;
    }
    std::string name = baseName(call.callee->text);
    if (const CallSpec *s = findCall(name, CallKind::Layer))
      return s;
    if (const CallSpec *s = findCall(name, CallKind::Input))
      return s;
    Loc at = call.callee->loc;
    if (const CallSpec *other = findAnyCall(name)) {
      std::string where = other->kind == CallKind::Optimizer
                              ? "compile(optimizer=...)"
                          : other->kind == CallKind::Callback
                              ? "fit(callbacks=[...])"
                          : other->kind == CallKind::Section
                              ? "the top level, after the model block"
                              : "a layer argument";
      std::string kind = describe(other->kind);
      bool vowel = std::string("aeiou").find(kind.front()) != std::string::npos;
      diags_.error(at, "'" + name + "' is " + (vowel ? "an " : "a ") + kind +
                           ", not a layer; it belongs in " + where);
      return nullptr;
    }
    std::vector<std::string> names = callNames(CallKind::Layer);
    names.push_back("Input");
    std::string near = dsl::closestMatch(name, names);
    diags_.error(at, "unknown layer '" + name + "'" +
                         (near.empty() ? "" : "; did you mean '" + near + "'?"),
                 near);
    return nullptr;
  }

  // Step 3.
  void sequential(const dsl::ModelDecl &model) {
    // An input(...) further down is reported there ("must be the first
    // line"), not as a missing input.
    bool reportedNoInput = false;
    for (const dsl::Statement &s : model.body)
      reportedNoInput |= isInput(*s.value);
    reportedNoInput &= !isInput(*model.body.front().value);
    for (const dsl::Statement &s : model.body) {
      const Expr &e = *s.value;
      if (e.kind == Expr::Call && e.callee->kind == Expr::Call) {
        diags_.error(e.loc, "a layer applied to a tensor belongs to the "
                            "functional form; assign it: y = " +
                                dsl::toSource(e));
        continue;
      }
      const CallSpec *spec = layerSpec(e);
      if (!spec)
        continue;
      Value call = checkCall(e, *spec, diags_);
      if (spec->kind == CallKind::Input) {
        if (!g_.nodes.empty() || reportedNoInput)
          diags_.error(e.callee->loc, "input(...) must be the first line of "
                                      "the model");
        else
          addNode(*spec, std::move(call), e.callee->loc, {});
        continue;
      }
      if (spec->multiInput) {
        diags_.error(e.callee->loc,
                     spec->name + " joins several tensors, so the model must "
                     "use the functional form: x = Input(...), y = ...(x), "
                     "z = " + spec->name + "()([x, y]), output(z)");
        continue;
      }
      if (g_.nodes.empty()) {
        if (!reportedNoInput)
          diags_.error(e.callee->loc,
                       "the model has no input; start it with "
                       "input(shape=(28, 28, 1))");
        reportedNoInput = true;
        continue;
      }
      int prev = static_cast<int>(g_.nodes.size()) - 1;
      addNode(*spec, std::move(call), e.callee->loc, {prev});
    }
    g_.output = static_cast<int>(g_.nodes.size()) - 1;
    if (g_.nodes.size() == 1 && !diags_.hadError())
      diags_.error(model.nameLoc, "model '" + model.name + "' has only an "
                                  "input; add its layers after it, ending "
                                  "with Dense(10, activation=\"softmax\")");
  }

  static bool isInput(const Expr &e) {
    return e.kind == Expr::Call && e.callee->kind == Expr::Name &&
           findCall(baseName(e.callee->text), CallKind::Input);
  }

  // Step 4.
  struct Def {
    const dsl::Statement *stmt;
    size_t pos; // statement index in the model body
    enum { Unvisited, Visiting, Done } state = Unvisited;
    int node = -1;
    bool used = false;
  };

  void functional(const dsl::ModelDecl &model) {
    unsigned errorsBefore = diags_.errorCount();
    std::vector<std::pair<const dsl::Statement *, size_t>> outputs;
    for (size_t pos = 0; pos < model.body.size(); ++pos) {
      const dsl::Statement &s = model.body[pos];
      if (!s.target.empty()) {
        byName_[s.target].push_back(defs_.size());
        defs_.push_back(Def{&s, pos});
      } else if (s.value->calleeName() == "output") {
        outputs.emplace_back(&s, pos);
      } else {
        diags_.error(s.value->loc,
                     "in a functional model every layer is assigned to a "
                     "name, e.g. y = Dense(10)(x)");
      }
    }
    for (size_t d = 0; d < defs_.size(); ++d)
      resolveDef(d);

    if (outputs.empty()) {
      diags_.error(model.nameLoc, "model '" + model.name + "' has no output; "
                                  "end it with output(NAME)");
    } else {
      for (size_t i = 1; i < outputs.size(); ++i)
        diags_.error(outputs[i].first->value->loc,
                     "a model has one output(...)");
      const Expr &out = *outputs[0].first->value;
      pos_ = outputs[0].second;
      if (out.args.size() != 1 || !out.args[0].keyword.empty())
        diags_.error(out.loc, "output(...) takes one tensor, e.g. output(y)");
      else
        g_.output = resolveExpr(*out.args[0].value);
    }
    // After another error a name is often unused only because the
    // statement that used it failed; report unused names on their own.
    for (const Def &d : defs_)
      if (diags_.errorCount() == errorsBefore && !d.used && d.node >= 0 &&
          d.node != g_.output)
        diags_.error(d.stmt->targetLoc,
                     "'" + d.stmt->target + "' is defined but never used; "
                     "pass it to a layer or to output(...), or remove it");
    int inputs = 0;
    for (const LayerNode &n : g_.nodes)
      if (n.spec->kind == CallKind::Input && ++inputs == 2)
        diags_.error(n.loc, "a model takes one input; this is a second one");
    if (inputs == 0 && !diags_.hadError())
      diags_.error(model.nameLoc, "model '" + model.name + "' has no input; "
                                  "define one with x = Input(shape=(28, 28, 1))");
    else if (g_.output >= 0 && !diags_.hadError() &&
             g_.nodes[g_.output].spec->kind == CallKind::Input)
      diags_.error(model.nameLoc, "model '" + model.name + "' outputs its "
                                  "input unchanged; apply layers to it and "
                                  "pass the last one to output(...)");
  }

  /// The definition a use of `name` at statement `pos` refers to: the last
  /// assignment before it, as in Python; failing that, the first one at or
  /// after it (a forward reference, which can form a cycle). -1 if none.
  int lookup(const std::string &name, size_t pos) const {
    auto it = byName_.find(name);
    if (it == byName_.end())
      return -1;
    int found = -1;
    for (size_t d : it->second)
      if (defs_[d].pos < pos)
        found = static_cast<int>(d);
    return found >= 0 ? found : static_cast<int>(it->second.front());
  }

  int resolveDef(size_t index) {
    Def &d = defs_[index];
    if (d.state == Def::Done)
      return d.node;
    if (d.state == Def::Visiting) {
      std::string chain;
      bool on = false;
      for (size_t s : stack_) {
        on |= s == index;
        if (on)
          chain += defs_[s].stmt->target + " -> ";
      }
      diags_.error(d.stmt->targetLoc, "cycle: '" + d.stmt->target +
                                          "' depends on itself (" + chain +
                                          d.stmt->target + ")");
      d.state = Def::Done; // report the cycle once
      return -1;
    }
    if (stack_.size() >= kMaxChain) {
      // Only forward references nest resolution this deep; bounding it
      // keeps a pathological file from overflowing the stack.
      diags_.error(d.stmt->targetLoc,
                   "'" + d.stmt->target + "' is reached through more than " +
                       std::to_string(kMaxChain) + " names used before the "
                       "line that defines them; define each name before "
                       "using it");
      d.state = Def::Done;
      return -1;
    }
    d.state = Def::Visiting;
    stack_.push_back(index);
    size_t savedPos = pos_;
    pos_ = d.pos;
    int node = resolveExpr(*d.stmt->value);
    pos_ = savedPos;
    stack_.pop_back();
    if (defs_[index].state == Def::Visiting)
      defs_[index].node = node;
    defs_[index].state = Def::Done;
    return defs_[index].node;
  }

  /// A tensor expression: a name, Input(...), or Layer(...)(tensors).
  int resolveExpr(const Expr &e) {
    if (e.kind == Expr::Name) {
      int d = lookup(e.text, pos_);
      if (d < 0) {
        std::vector<std::string> names;
        for (const auto &[n, defs] : byName_)
          names.push_back(n);
        std::string near = dsl::closestMatch(e.text, names);
        diags_.error(e.loc, "undefined name '" + e.text + "'" +
                                (near.empty() ? ""
                                              : "; did you mean '" + near +
                                                    "'?"),
                     near);
        return -1;
      }
      defs_[d].used = true;
      // `x = Dense(10)(x)` with no earlier x: not a cycle to the user.
      if (defs_[d].state == Def::Visiting && stack_.back() == size_t(d)) {
        diags_.error(e.loc, "'" + e.text + "' is used in its own definition "
                            "but has no earlier value; assign " + e.text +
                            " on an earlier line or use another name");
        return -1;
      }
      return resolveDef(d);
    }
    if (e.kind == Expr::Call && e.callee->kind == Expr::Call)
      return applyLayer(e);
    if (e.kind == Expr::Call) {
      const CallSpec *spec = layerSpec(e);
      if (!spec)
        return -1;
      Value call = checkCall(e, *spec, diags_);
      if (spec->kind == CallKind::Input)
        return addNode(*spec, std::move(call), e.callee->loc, {});
      diags_.error(e.loc, "layer " + spec->name + " is not applied to a "
                          "tensor; write " + dsl::toSource(e) + "(x)");
      return -1;
    }
    diags_.error(e.loc, "expected a tensor (a name or Layer(...)(x)), found " +
                            describeFound(e));
    return -1;
  }

  int applyLayer(const Expr &e) {
    const Expr &layer = *e.callee;
    const CallSpec *spec = layerSpec(layer);
    if (!spec)
      return -1;
    Value call = checkCall(layer, *spec, diags_);
    if (spec->kind == CallKind::Input) {
      diags_.error(e.loc, "Input(...) is not applied to a tensor; write "
                          "x = " + dsl::toSource(layer));
      return -1;
    }
    if (e.args.size() != 1 || !e.args[0].keyword.empty()) {
      diags_.error(e.loc, spec->name + " is applied to one tensor" +
                              (spec->multiInput ? " list: " + spec->name +
                                                      "()([a, b])"
                                                : ": " + spec->name +
                                                      "(...)(x)"));
      return -1;
    }
    const Expr &arg = *e.args[0].value;
    std::vector<int> inputs;
    bool ok = true;
    if (arg.kind == Expr::List) {
      if (!spec->multiInput) {
        diags_.error(arg.loc, spec->name + " takes one tensor, found a list "
                              "of " + std::to_string(arg.elements.size()));
        return -1;
      }
      if (arg.elements.size() < 2) {
        diags_.error(arg.loc, spec->name + " joins at least 2 tensors, "
                              "found a list of " +
                              std::to_string(arg.elements.size()) + ": " +
                              spec->name + "()([a, b])");
        for (const auto &el : arg.elements) // still mark the names used
          resolveExpr(*el);
        return -1;
      }
      for (const auto &el : arg.elements) {
        inputs.push_back(resolveExpr(*el));
        ok &= inputs.back() >= 0;
      }
    } else {
      if (spec->multiInput) {
        diags_.error(arg.loc, spec->name + " takes a list of tensors: " +
                                  spec->name + "()([a, b])");
        return -1;
      }
      inputs.push_back(resolveExpr(arg));
      ok = inputs.back() >= 0;
    }
    if (!ok)
      return -1;
    return addNode(*spec, std::move(call), layer.callee->loc,
                   std::move(inputs));
  }

  // Step 5.
  void uniqueNames() {
    std::map<std::string, const LayerNode *> seen;
    for (const LayerNode &n : g_.nodes) {
      auto [it, inserted] = seen.emplace(n.name, &n);
      if (!inserted) {
        diags_.error(n.loc, "layer name '" + n.name + "' is already used; "
                            "give this layer another name=...");
        diags_.note(it->second->loc, "'" + n.name + "' is this layer");
      }
    }
  }

  // Step 6.
  void sections(const dsl::Module &module) {
    std::map<std::string, Loc> seen;
    for (const dsl::Statement &s : module.sections) {
      const Expr &e = *s.value;
      if (e.kind != Expr::Call || e.callee->kind != Expr::Name) {
        diags_.error(e.loc, "expected compile(...) or fit(...) after the "
                            "model, found " + describeFound(e));
        continue;
      }
      std::string name = baseName(e.callee->text);
      const CallSpec *spec = findCall(name, CallKind::Section);
      if (!spec) {
        if (findCall(name, CallKind::Layer) || findCall(name, CallKind::Input))
          diags_.error(e.callee->loc, "layer '" + name + "' is outside the "
                                      "model block; move it inside model " +
                                      g_.name + " { ... }");
        else {
          std::string near = dsl::closestMatch(name, {"compile", "fit"});
          diags_.error(e.callee->loc,
                       "unknown section '" + name + "'" +
                           (near.empty() ? "; expected compile(...) or fit(...)"
                                         : "; did you mean '" + near + "'?"),
                       near);
        }
        continue;
      }
      auto [it, inserted] = seen.emplace(name, e.callee->loc);
      if (!inserted) {
        diags_.error(e.callee->loc, name + "(...) appears twice; merge the "
                                    "two into one");
        diags_.note(it->second, "first " + name + "(...) is here");
        continue;
      }
      (name == "compile" ? g_.compile : g_.fit) = checkCall(e, *spec, diags_);
      if (name == "compile")
        warnLargeLearningRate(g_.compile);
    }
    if (!seen.count("compile")) {
      // After an error nothing is compiled, and the error may be a
      // misspelled compile(...): the warning would only add noise.
      if (!diags_.hadError())
        diags_.warning(g_.loc, "no compile(...) section; using "
                               "optimizer=\"rmsprop\", "
                               "loss=\"sparse_categorical_crossentropy\", "
                               "metrics=[\"accuracy\"]");
      g_.compile = defaults("compile");
      for (auto &[n, v] : g_.compile.args) {
        if (n == "loss")
          v = Value::str("sparse_categorical_crossentropy");
        if (n == "metrics")
          v.items.push_back(Value::str("accuracy"));
        if (n == "optimizer")
          v = defaults("RMSprop", CallKind::Optimizer);
      }
    }
    if (!seen.count("fit"))
      g_.fit = defaults("fit");
  }

  /// A learning rate above 1 is legal but almost always a typo (1e-3
  /// written 1e3) or a diverging run: warned at the value.
  void warnLargeLearningRate(const Value &compile) {
    for (const auto &[n, optimizer] : compile.args) {
      if (n != "optimizer" || optimizer.kind != Value::Call)
        continue;
      for (const auto &[arg, v] : optimizer.args)
        if (arg == "learning_rate" &&
            (v.kind == Value::Float || v.kind == Value::Int) && v.f > 1.0) {
          char text[32];
          std::snprintf(text, sizeof text, "%g", v.f);
          diags_.warning(v.loc,
                         std::string("learning_rate ") + text +
                             " is unusually large; training will likely "
                             "diverge (Keras's tutorials use 0.0001 to 0.1)");
        }
    }
  }

  Value defaults(const std::string &name, CallKind kind = CallKind::Section) {
    Value v;
    v.kind = Value::Call;
    v.call = findCall(name, kind);
    for (const ArgSpec &a : v.call->args)
      v.args.emplace_back(a.name, a.defaultValue);
    return v;
  }

  dsl::DiagnosticEngine &diags_;
  ModelGraph g_;
  std::map<std::string, int> counters_;
  std::vector<Def> defs_;
  std::map<std::string, std::vector<size_t>> byName_;
  std::vector<size_t> stack_; // definitions being resolved
  static constexpr size_t kMaxChain = 256;
  size_t pos_ = 0;            // statement whose expression is resolved
};

} // namespace

std::optional<ModelGraph> analyze(const dsl::Module &module,
                                  dsl::DiagnosticEngine &diags) {
  return Sema(diags).run(module);
}

} // namespace mnistc
