"""The template compiler: render functions → statics plus change-tracked slots.

``source`` reads a function's ``return`` expression, ``deps`` works out which assigns each
expression reads, ``codegen`` builds the template and its thunks, ``slots`` evaluates them at
render time, and ``template`` is the user-facing decorator and per-view state; ``declared`` reads
a function component's declared attributes and slots.
"""

from pylive.html.compiler.declared import ComponentCall, Slot, render_slot
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
    "ComponentCall",
    "Memo",
    "Slot",
    "compile_template",
    "compiled",
    "component",
    "render_slot",
    "render_tree",
]
