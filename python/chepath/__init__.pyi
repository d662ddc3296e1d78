"""Type stubs of the chepath Python package (the functions mirror the CLI's commands)."""

import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

from ._errors import (
    CheckFailed as CheckFailed,
    ChepathError as ChepathError,
    FormatError as FormatError,
    InputError as InputError,
    ReadError as ReadError,
    WriteError as WriteError,
    UsageError as UsageError,
)

PathLike = Union[str, os.PathLike[str]]

SCHEMA_VERSION: str
__version__: str

class Result(Dict[str, Any]):
    def to_dict(self) -> Dict[str, Any]: ...

class Ranking(Result):
    @property
    def records(self) -> List[Dict[str, Any]]: ...
    def to_frame(self) -> Any: ...  # pandas.DataFrame, index "model"
    def _repr_html_(self) -> Optional[str]: ...

class ScanResult(Result):
    @property
    def records(self) -> List[Dict[str, Any]]: ...
    def to_frame(self) -> Any: ...  # pandas.DataFrame, index "path"
    def _repr_html_(self) -> Optional[str]: ...

class Structure(Result):
    @property
    def symbols(self) -> List[str]: ...
    def to_ase(self) -> Any: ...  # ase.Atoms
    def to_pymatgen(self) -> Any: ...  # pymatgen.core.Structure

class Dos(Result):
    energies: npt.NDArray[np.float64]  # (nedos,), eV, absolute
    total: npt.NDArray[np.float64]  # (channels, nedos)
    projections: npt.NDArray[np.float64]  # (atoms, columns, nedos)

class Diagram(str):
    def _repr_svg_(self) -> str: ...

def parse(
    path: PathLike,
    format: Optional[str] = ...,
    final_only: bool = ...,
    species_from: Optional[PathLike] = ...,
) -> Result: ...
def dband(
    path: PathLike,
    atoms: Optional[str] = ...,
    window: str = ...,
    spin: str = ...,
    orbital: str = ...,
    structure: Optional[PathLike] = ...,
    cutoff: Optional[float] = ...,
    noncollinear: Optional[bool] = ...,
) -> Result: ...
def dos(
    path: PathLike,
    atoms: Optional[str] = ...,
    structure: Optional[PathLike] = ...,
    cutoff: Optional[float] = ...,
    noncollinear: Optional[bool] = ...,
) -> Dos: ...
def thermo(
    path: Optional[PathLike] = ...,
    freqs: Optional[Iterable[float]] = ...,
    model: str = ...,
    temperature: float = ...,
    pressure: float = ...,
    geometry: Optional[str] = ...,
    symmetry: Optional[int] = ...,
    spin: float = ...,
    soft_mode_floor: Optional[float] = ...,
    floor_all_terms: bool = ...,
) -> Result: ...
def pathway(
    path: PathLike,
    U: Optional[float] = ...,
    pH: Optional[float] = ...,
    template: Optional[str] = ...,
) -> Result: ...
def rank(
    path: PathLike,
    U: Optional[float] = ...,
    pH: Optional[float] = ...,
    template: Optional[str] = ...,
    by: str = ...,
) -> Ranking: ...
def scan(root: PathLike, full: bool = ..., jobs: Optional[int] = ...) -> ScanResult: ...
def lint(path: PathLike, template: Optional[str] = ...) -> Result: ...
def check(
    expected: PathLike, tolerance: Optional[float] = ..., raise_on_failure: bool = ...
) -> Result: ...
def report(
    path: PathLike,
    out: PathLike,
    force: bool = ...,
    U: Optional[float] = ...,
    pH: Optional[float] = ...,
    template: Optional[str] = ...,
) -> List[str]: ...
def diagram(
    path: PathLike,
    out: Optional[PathLike] = ...,
    force: bool = ...,
    U: Optional[float] = ...,
    pH: Optional[float] = ...,
    template: Optional[str] = ...,
    which: str = ...,
    models: Optional[Sequence[str]] = ...,
    single_panel: bool = ...,
    width: int = ...,
    height: int = ...,
    dpi: int = ...,
    font: int = ...,
    at: Optional[Sequence[float]] = ...,
) -> Optional[Diagram]: ...
def barrier(
    *paths: PathLike,
    freq: Optional[PathLike] = ...,
    energy: str = ...,
    plot: Optional[PathLike] = ...,
    force: bool = ...,
) -> Result: ...
