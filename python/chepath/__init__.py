"""chepath: from raw VASP output to catalysis answers, in Python.

The functions mirror the command line (``chepath parse``, ``dband``, ``thermo``, ``pathway``,
``rank``, ``scan``, ``lint``, ``check``, ``report``, ``diagram``) and return the same fields
and numbers as its JSON (same ``schema_version``), as dictionaries (:class:`Result`) with
helpers: ``rank`` and ``scan`` give pandas DataFrames with ``to_frame()``, ``dos`` gives
NumPy arrays, structures convert to ASE ``Atoms`` and pymatgen ``Structure``. The work is
done in Rust with the GIL released (``scan`` reads directories in parallel).

    >>> import chepath
    >>> print(chepath.rank("sample_outputs/vasp"))          # a DataFrame, one row per model
    >>> chepath.pathway("network.toml", U=-0.2, pH=13)["models"][0]["limiting_potential"]

Errors raise :class:`ChepathError` subclasses whose message names the file and line.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _chepath
from ._errors import (
    CheckFailed,
    ChepathError,
    FormatError,
    InputError,
    ReadError,
    UsageError,
    WriteError,
    _convert,
)

__all__ = [
    "parse", "dband", "dos", "thermo", "pathway", "rank", "scan", "lint", "check",
    "report", "diagram", "barrier", "Result", "Structure", "Ranking", "ScanResult", "Dos", "Diagram",
    "ChepathError", "ReadError", "WriteError", "FormatError", "InputError", "UsageError", "CheckFailed",
    "SCHEMA_VERSION", "__version__",
]

SCHEMA_VERSION: str = _chepath.SCHEMA_VERSION
__version__: str = _chepath.VERSION

PathLike = Union[str, "os.PathLike[str]"]


def _call(fn, *args, **kwargs) -> Any:
    try:
        return fn(*args, **kwargs)
    except _chepath.Failure as e:
        raise _convert(e) from None


def _path(p: Optional[PathLike]) -> Optional[str]:
    return None if p is None else os.fspath(p)


class Result(dict):
    """A chepath result: the CLI's JSON document as a ``dict`` (``json.dumps`` works), with
    ``to_dict()`` for a plain copy."""

    def to_dict(self) -> Dict[str, Any]:
        """A plain ``dict`` (deep copy) of the result, exactly as the CLI's JSON."""
        return json.loads(json.dumps(self))

    def __repr__(self) -> str:
        kind = self.get("kind", type(self).__name__)
        keys = ", ".join(list(self.keys())[:8])
        return f"<chepath {kind}: {keys}{', …' if len(self) > 8 else ''}>"


def _frame(records: List[Dict[str, Any]], index: Optional[str], first: Sequence[str] = ()):
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - exercised without pandas
        raise ImportError("to_frame() needs pandas: pip install pandas") from e
    df = pd.json_normalize(records, sep="_") if records else pd.DataFrame()
    # A documented nested column (``dband_center``) whose parent is null in every row
    # (``"dband": null``) is still a column, of missing values.
    for c in first:
        parents = [p for p in df.columns if c.startswith(p + "_") and df[p].isna().all()]
        df = df.drop(columns=parents)
        if c not in df.columns and (parents or not records):
            df[c] = float("nan")
    order = [c for c in first if c in df.columns]
    df = df[order + [c for c in df.columns if c not in order]]
    if index and index in df.columns:
        df = df.set_index(index)
    return df


def _cell(x: Any) -> str:
    return f"{x:.3f}" if isinstance(x, float) else ("" if x is None else str(x))


def _text_table(records: List[Dict[str, Any]], columns: Sequence[str]) -> str:
    rows = [[_cell(r.get(c)) for c in columns] for r in records]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths))
    return "\n".join([line(columns)] + [line(r) for r in rows])


class _Frameable(Result):
    _records_key = "rows"
    _index: Optional[str] = None
    _columns: Sequence[str] = ()

    @property
    def records(self) -> List[Dict[str, Any]]:
        """The rows as plain records (a list of dicts)."""
        return self[self._records_key]

    def to_frame(self):
        """The rows as a pandas DataFrame (nested fields flattened with ``_``); its
        ``attrs["chepath"]`` holds the rest of the document (conventions, notice, …)."""
        df = _frame(self.records, self._index, self._columns)
        df.attrs["chepath"] = {k: v for k, v in self.items() if k != self._records_key}
        return df

    def _preamble(self) -> List[str]:
        return []

    def __str__(self) -> str:
        try:
            import pandas  # noqa: F401
        except ImportError:
            body = _text_table(self.records, self._columns)
        else:
            body = str(self.to_frame())
        return "\n".join(self._preamble() + [body])

    __repr__ = __str__

    def _repr_html_(self) -> Optional[str]:
        try:
            return self.to_frame()._repr_html_()
        except ImportError:
            return None


class Ranking(_Frameable):
    """``rank``: one row per model (``rows``), sorted (``sorted_by``), with the conventions
    and network it was computed with. ``print()`` shows the DataFrame."""

    _index = "model"
    _columns = (
        "model", "limiting_potential", "overpotential", "pds", "pds_dG", "adsorption_dG",
        "chemical_bottleneck", "chemical_bottleneck_dG", "descriptor", "dband_center",
        "largest_barrier_Ea", "largest_barrier_step",
        "window_min", "window_max", "window_empty", "warnings",
    )

    def _preamble(self) -> List[str]:
        c = self.get("conventions", {})
        notice = self.get("notice")
        lines = [f"NOTICE: {notice}"] if notice else []
        lines.append(
            f"U = {c.get('U')} V vs {c.get('scale')}, pH = {c.get('pH')}, "
            f"T = {c.get('temperature')} K; sorted by {self.get('sorted_by')}"
        )
        return lines


class ScanResult(_Frameable):
    """``scan``: one record per calculation directory (``records``), in directory order."""

    _records_key = "records"
    _index = "path"
    _columns = ("path", "energy_sigma0", "electronic_converged", "ionic_converged", "complete")

    def _preamble(self) -> List[str]:
        return [f"warning: {w}" for w in self.get("warnings") or []]


class Structure(Result):
    """A structure record (``parse`` of a CONTCAR/POSCAR, or a directory's ``structure``)."""

    @property
    def symbols(self) -> List[str]:
        """One element symbol per atom, in file order."""
        return [s for s, n in zip(self["species"], self["counts"]) for _ in range(n)]

    def to_ase(self):
        """An ASE ``Atoms`` (periodic in all directions, Cartesian positions in Å).

        Selective dynamics become constraints as ASE's own POSCAR reader makes them: atoms
        fixed in all three directions one ``FixAtoms``, atoms fixed in some a ``FixScaled``
        each."""
        from ase import Atoms

        atoms = Atoms(
            symbols=self.symbols,
            positions=self["positions_cartesian"],
            cell=self["lattice"],
            pbc=True,
        )
        flags = self.get("selective_dynamics")
        if flags:
            from ase.constraints import FixAtoms, FixScaled

            constraints, fixed = [], []
            for i, movable in enumerate(flags):
                frozen = [not m for m in movable]
                if all(frozen):
                    fixed.append(i)
                elif any(frozen):
                    constraints.append(FixScaled(i, frozen, atoms.cell))
            if fixed:
                constraints.append(FixAtoms(indices=fixed))
            atoms.set_constraint(constraints)
        return atoms

    def to_pymatgen(self):
        """A pymatgen ``Structure`` (Cartesian positions in Å); selective dynamics, when the
        file has them, as the ``selective_dynamics`` site property (as pymatgen's Poscar)."""
        from pymatgen.core import Lattice, Structure as PmgStructure

        flags = self.get("selective_dynamics")
        return PmgStructure(
            Lattice(self["lattice"]),
            self.symbols,
            self["positions_cartesian"],
            coords_are_cartesian=True,
            site_properties={"selective_dynamics": flags} if flags else None,
        )


def _wrap_parsed(d: Dict[str, Any]) -> Result:
    if d.get("kind") == "structure":
        return Structure(d)
    if isinstance(d.get("structure"), dict):
        d["structure"] = Structure(d["structure"])
    return Result(d)


def parse(
    path: PathLike,
    format: Optional[str] = None,
    final_only: bool = False,
    species_from: Optional[PathLike] = None,
) -> Result:
    """Read one VASP file (OUTCAR, OSZICAR, CONTCAR/POSCAR, vasprun.xml, optionally .gz)
    or a calculation directory, as ``chepath parse --json``.

    ``format``: ``"outcar"``, ``"oszicar"``, ``"poscar"``, ``"vasprun"`` or None (detected).
    ``final_only``: an OUTCAR's final state only (a fast tail read, ``--final``).
    ``species_from``: an OUTCAR or POTCAR naming a VASP 4 POSCAR's species.
    A structure comes back as :class:`Structure` (``to_ase()``, ``to_pymatgen()``)."""
    text = _call(_chepath.parse, os.fspath(path), format, final_only, _path(species_from))
    return _wrap_parsed(json.loads(text))


def dband(
    path: PathLike,
    atoms: Optional[str] = None,
    window: str = "full",
    spin: str = "sum",
    orbital: str = "d",
    structure: Optional[PathLike] = None,
    cutoff: Optional[float] = None,
    noncollinear: Optional[bool] = None,
) -> Result:
    """d-band centre, width, skewness, kurtosis, filling and upper edge of chosen atoms of a
    DOSCAR or vasprun.xml (or their directory), as ``chepath dband --json``.

    ``atoms``: a selection (``"Cu"``, ``"1-4,7"``, ``"Cu@N4"``; default every transition
    metal). ``window``: ``"full"`` (the file's whole grid, as pymatgen), ``"vaspkit"``
    ([-10, 5] eV) or ``"MIN:MAX"`` eV from E-fermi. ``spin``: ``"sum"``, ``"up"``, ``"down"``,
    ``"mean"``. ``orbital``: ``"d"`` (or ``s``, ``p``, ``f``, ``dxy``, …)."""
    text = _call(
        _chepath.dband, os.fspath(path), atoms, window, spin, orbital, _path(structure),
        cutoff, noncollinear,
    )
    return Result(json.loads(text))


class Dos(Result):
    """A DOS as NumPy arrays: ``energies`` (eV, absolute; ``energies - efermi`` for E − E_F),
    ``total`` (channels × nedos), ``projections`` (atoms × columns × nedos, the columns as
    in ``columns``: orbital, l and spin of each), for the atoms in ``atoms`` (1-based)."""

    energies: Any
    total: Any
    projections: Any


def dos(
    path: PathLike,
    atoms: Optional[str] = None,
    structure: Optional[PathLike] = None,
    cutoff: Optional[float] = None,
    noncollinear: Optional[bool] = None,
) -> Dos:
    """The DOS of a DOSCAR or vasprun.xml (or their directory) for the selected atoms
    (default every transition metal), as NumPy arrays (:class:`Dos`)."""
    import numpy as np

    meta, e, t, p = _call(
        _chepath.dos, os.fspath(path), atoms, _path(structure), cutoff, noncollinear
    )
    d = Dos(json.loads(meta))
    n = d["nedos"]
    d.energies = np.frombuffer(e, dtype="<f8").copy()
    d.total = np.frombuffer(t, dtype="<f8").reshape(d["channels"], n).copy()
    ncol = len(d["columns"] or [])
    d.projections = np.frombuffer(p, dtype="<f8").reshape(len(d["atoms"]), ncol, n).copy()
    return d


def thermo(
    path: Optional[PathLike] = None,
    freqs: Optional[Iterable[float]] = None,
    model: str = "harmonic",
    temperature: float = 298.15,
    pressure: float = 1.0,
    geometry: Optional[str] = None,
    symmetry: Optional[int] = None,
    spin: float = 0.0,
    soft_mode_floor: Optional[float] = None,
    floor_all_terms: bool = False,
) -> Result:
    """ZPE, ∫C dT, TS and the correction ZPE + ∫C dT − TS (eV) of a frequency run (OUTCAR,
    vasprun.xml or directory) or of ``freqs`` (cm⁻¹, imaginary negative), as
    ``chepath thermo --json``. ``model``: ``"harmonic"`` or ``"ideal-gas"`` (then
    ``pressure`` in bar, ``geometry``, ``symmetry`` and ``spin`` S apply)."""
    f = None if freqs is None else [float(x) for x in freqs]
    text = _call(
        _chepath.thermo, _path(path), f, model, float(temperature), float(pressure),
        geometry, symmetry, float(spin), soft_mode_floor, floor_all_terms,
    )
    return Result(json.loads(text))


def pathway(
    path: PathLike,
    U: Optional[float] = None,
    pH: Optional[float] = None,
    template: Optional[str] = None,
) -> Result:
    """CHE free-energy paths of every model of a network file or tree: ΔG of each step at
    U (V) and pH, limiting potential, PDS, best and greedy paths, closure, HER, warnings
    and lint findings, as ``chepath pathway --json``. U and pH default to the network's."""
    text = _call(_chepath.pathway, os.fspath(path), U, pH, template)
    return Result(json.loads(text))


def rank(
    path: PathLike,
    U: Optional[float] = None,
    pH: Optional[float] = None,
    template: Optional[str] = None,
    by: str = "limiting-potential",
) -> Ranking:
    """One row per catalyst model, best first, as ``chepath rank --format json``.

    ``by``: ``"limiting-potential"``, ``"adsorption"``, ``"dband"``, ``"descriptor"`` or
    ``"barrier"`` (the largest barrier of the best path, from ``[barriers]``; lowest first).
    ``print()`` shows it as a DataFrame (pandas installed); ``to_frame()`` gives one."""
    text = _call(_chepath.rank, os.fspath(path), U, pH, template, by)
    return Ranking(json.loads(text))


def scan(root: PathLike, full: bool = False, jobs: Optional[int] = None) -> ScanResult:
    """Every calculation directory under ``root`` (final energy, convergence, completeness,
    errors), read in parallel (``jobs`` threads; default all cores), as the records of
    ``chepath scan --json-lines``. ``full``: everything ``parse DIR`` reads."""
    text = _call(_chepath.scan, os.fspath(root), full, jobs)
    return ScanResult(json.loads(text))


def lint(path: PathLike, template: Optional[str] = None) -> Result:
    """The linter's findings on a network file or tree (mixed settings, unconverged runs,
    a DOS run used as a relaxation, …), as ``chepath lint --json``."""
    text = _call(_chepath.lint, os.fspath(path), template)
    return Result(json.loads(text))


def check(
    expected: PathLike, tolerance: Optional[float] = None, raise_on_failure: bool = False
) -> Result:
    """Compare an expected-values file (``chepath check --init`` writes one) with what its
    source gives now: ``outcomes`` (model, quantity, expected, got, delta, tolerance, ok)
    and ``failed``. ``raise_on_failure``: raise :class:`CheckFailed` if any value is off."""
    text = _call(_chepath.check, os.fspath(expected), tolerance)
    r = Result(json.loads(text))
    if raise_on_failure and r["failed"]:
        bad = [o for o in r["outcomes"] if not o["ok"]]
        lines = "; ".join(f"{o['model']} {o['quantity']}: {o['got']} vs {o['expected']}" for o in bad)
        raise CheckFailed(f"{expected}: {len(bad)} of {len(r['outcomes'])} checks failed: {lines}", exit_code=6)
    return r


def report(
    path: PathLike,
    out: PathLike,
    force: bool = False,
    U: Optional[float] = None,
    pH: Optional[float] = None,
    template: Optional[str] = None,
) -> List[str]:
    """The main job into the directory ``out`` (report.json, .csv, .md, diagrams, d-band
    plots), as ``chepath report``; returns the files written. Existing files are not
    overwritten unless ``force``."""
    return _call(_chepath.report, os.fspath(path), os.fspath(out), force, U, pH, template)


class Diagram(str):
    """A free-energy diagram as SVG text; a notebook shows it inline."""

    def _repr_svg_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<chepath free-energy diagram, SVG, {len(self)} characters>"


def diagram(
    path: PathLike,
    out: Optional[PathLike] = None,
    force: bool = False,
    U: Optional[float] = None,
    pH: Optional[float] = None,
    template: Optional[str] = None,
    which: str = "best",
    models: Optional[Sequence[str]] = None,
    single_panel: bool = False,
    width: int = 1400,
    height: int = 620,
    dpi: int = 100,
    font: int = 17,
    at: Optional[Sequence[float]] = None,
) -> Optional[Diagram]:
    """A free-energy diagram of a network file or tree, as ``chepath diagram``: written to
    ``out`` (.svg or .png; returns None), or returned as a :class:`Diagram` (SVG, shown
    inline in Jupyter) when ``out`` is None. ``which``: ``"best"``, ``"greedy"``, ``"all"``.
    ``at``: one panel at each of these potentials (V) instead of the one at ``U``."""
    svg = _call(
        _chepath.diagram, os.fspath(path), _path(out), force, U, pH, template, which,
        list(models) if models is not None else None, single_panel, width, height, dpi, font,
        [float(x) for x in at] if at is not None else None,
    )
    return None if svg is None else Diagram(svg)


def barrier(
    *paths: PathLike,
    freq: Optional[PathLike] = None,
    energy: str = "sigma0",
    plot: Optional[PathLike] = None,
    force: bool = False,
) -> Result:
    """Reaction barriers, as ``chepath barrier --json``: ``barrier(IS, TS, FS)`` (directories
    or files) or ``barrier(NEB_DIR)`` (images 00 … NN). ``forward_barrier`` = E(TS) − E(IS),
    ``reverse_barrier`` = E(TS) − E(FS), ``reaction_energy`` = E(FS) − E(IS) (eV, ``energy``
    ``"sigma0"`` = E0 or ``"toten"`` = F), each energy's ``source`` (file:line), ``images``
    for a NEB run, ``ts_check`` (one imaginary mode expected) from the TS's frequency run
    (``TS/freq/`` or ``freq``: OUTCAR, vasprun.xml or VTST freq.dat), ``zpe_corrected`` when
    IS, TS and FS all have ``freq/`` runs, and ``warnings`` (the linter's among them).

    ``profile``: the energy profile along the path: ``coordinate`` (the cumulative distance
    between consecutive final structures, Å, minimum-image convention), ``energy`` (E −
    E(first), eV), ``tangent_force`` (eV/Å, VTST's printed value, else the OUTCAR's forces
    projected on the tangent; 0 for an end point without forces), ``force_source``, and the
    cubic spline through the energies with slopes −F (as ASE's ``fit_raw``):
    ``spline_max``, ``spline_max_at``, ``spline_reverse``, samples ``spline_coordinate`` and
    ``spline_energy``. ``plot``: draw that profile to this file (.svg or .png; an existing
    file is kept unless ``force=True``), as ``--plot``."""
    text = _call(
        _chepath.barrier, [os.fspath(p) for p in paths], _path(freq), energy, _path(plot), force
    )
    return Result(json.loads(text))
