"""The template compiler: render functions → statics plus change-tracked slots.

``source`` reads a function's ``return`` expression, ``deps`` works out which assigns each
expression reads, ``codegen`` builds the template and its thunks, ``slots`` evaluates them at
render time, and ``template`` is the user-facing decorator and per-view state.
"""

from pylive.html.compiler.template import (
    BoundTemplate,
    CompiledTemplate,
    Memo,
    compile_template,
    compiled,
    component,
    render_tree,
)

__all__ = [
    "BoundTemplate",
    "CompiledTemplate",
    "Memo",
    "compile_template",
    "compiled",
    "component",
    "render_tree",
]
