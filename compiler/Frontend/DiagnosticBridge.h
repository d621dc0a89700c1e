//===- DiagnosticBridge.h - MLIR diagnostics in the DSL's format ----------===//
//
// While alive, forwards every MLIR diagnostic located in the DSL file to a
// dsl::DiagnosticEngine, so errors from verifiers and later stages look
// exactly like syntax errors: file, line, column, the quoted line and a
// caret under the layer. MLIR's "see current operation" dumps are left out
// (the user wrote no MLIR), and an error two stages both find is printed
// once.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_FRONTEND_DIAGNOSTICBRIDGE_H
#define MNISTC_COMPILER_FRONTEND_DIAGNOSTICBRIDGE_H

#include "dsl/Diagnostics.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

namespace mnistc {

/// Forwards MLIR diagnostics located in the DSL file to `diags`, with the
/// underline as long as the layer name the op came from.
class DiagnosticBridge {
public:
  /// `lengths` maps a (line, column) to the length of the token there,
  /// for the underline; unknown locations get a single caret.
  DiagnosticBridge(mlir::MLIRContext &ctx, dsl::DiagnosticEngine &diags,
                   std::map<std::pair<int, int>, int> lengths = {})
      : handler_(&ctx, [this](mlir::Diagnostic &d) { return forward(d); }),
        diags_(diags), lengths_(std::move(lengths)) {}

private:
  mlir::LogicalResult forward(mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Error) {
      std::tuple<int, int, std::string> key{-1, -1, d.str()};
      if (auto fl = d.getLocation()->findInstanceOf<mlir::FileLineColLoc>())
        key = {fl.getLine(), fl.getColumn(), d.str()};
      if (!seen_.insert(key).second)
        return mlir::success(); // already reported, with its notes
    }
    report(d, d.getSeverity() == mlir::DiagnosticSeverity::Error
                  ? dsl::Severity::Error
              : d.getSeverity() == mlir::DiagnosticSeverity::Warning
                  ? dsl::Severity::Warning
                  : dsl::Severity::Note);
    for (mlir::Diagnostic &note : d.getNotes())
      report(note, dsl::Severity::Note);
    return mlir::success();
  }
  void report(mlir::Diagnostic &d, dsl::Severity sev) {
    dsl::Loc at;
    if (auto fl = d.getLocation()->findInstanceOf<mlir::FileLineColLoc>()) {
      at = dsl::Loc{static_cast<int>(fl.getLine()),
                    static_cast<int>(fl.getColumn()), 1};
      auto it = lengths_.find({at.line, at.col});
      if (it != lengths_.end())
        at.len = it->second;
    }
    diags_.report(sev, at, d.str());
  }

  mlir::ScopedDiagnosticHandler handler_;
  dsl::DiagnosticEngine &diags_;
  std::map<std::pair<int, int>, int> lengths_;
  std::set<std::tuple<int, int, std::string>> seen_;
};

} // namespace mnistc

#endif
