#!/usr/bin/env python3
"""Thermochemistry reference values pinned in tests/thermo.rs, computed with ASE 3.29.0.

    benches/work/venv/bin/python tests/reference/ase_thermo.py   # (python3 -m pip install ase==3.29.0)

Harmonic: the real modes (cm-1) of the corpus frequency runs
tosykie_FeNi_OER/OER/O-covered/Ni(111)/{O,OH,OOH,slab}/zpe-backup/OUTCAR, first dynamical-matrix
block, at 298.15 K. Ideal gas: H2 (0.7414 A, 4401.21 cm-1, sigma 2, linear, singlet) and H2O
(O-H 0.9572 A, 104.52 deg, 3657.05/1594.59/3755.79 cm-1, sigma 2, nonlinear, singlet) at
298.15 K and 1 bar (100000 Pa), electronic energy 0. Printed as Rust constants.
"""
import math
from ase import Atoms
from ase.thermochemistry import HarmonicThermo, IdealGasThermo
from ase import units

T = 298.15
modes = {
    "O": [489.834536, 432.986796, 431.277441],
    "OH": [3685.330914, 524.895187, 518.886662, 409.394058, 235.207794, 226.788080],
}
print("// ASE", __import__("ase").__version__, "invcm =", units.invcm)
for name, cm in modes.items():
    h = HarmonicThermo([c * units.invcm for c in cm], potentialenergy=0.0)
    print(f"// harmonic {name}: ZPE, CvdT, TS, F-E")
    zpe = h.get_ZPE_correction()
    print(name, repr(zpe), repr(h.get_internal_energy(T, verbose=False) - zpe), repr(T * h.get_entropy(T, verbose=False)), repr(h.get_helmholtz_energy(T, verbose=False)))

h2 = Atoms("H2", positions=[(0, 0, 0), (0, 0, 0.7414)])
t = IdealGasThermo([4401.21 * units.invcm], geometry="linear", atoms=h2, symmetrynumber=2, spin=0, potentialenergy=0.0)
print("H2 ZPE, H-E, S (eV/K), G-E", repr(t.get_ZPE_correction()), repr(t.get_enthalpy(T, verbose=False)), repr(t.get_entropy(T, 1e5, verbose=False)), repr(t.get_gibbs_energy(T, 1e5, verbose=False)))
print("H2 S J/mol/K", t.get_entropy(T, 1e5, verbose=False) / units.J * units.mol)
a = math.radians(104.52)
r = 0.9572
h2o = Atoms("OH2", positions=[(0, 0, 0), (r, 0, 0), (r * math.cos(a), r * math.sin(a), 0)])
t = IdealGasThermo([c * units.invcm for c in (3657.05, 1594.59, 3755.79)], geometry="nonlinear", atoms=h2o, symmetrynumber=2, spin=0, potentialenergy=0.0)
print("H2O ZPE, H-E, S (eV/K), G-E", repr(t.get_ZPE_correction()), repr(t.get_enthalpy(T, verbose=False)), repr(t.get_entropy(T, 1e5, verbose=False)), repr(t.get_gibbs_energy(T, 1e5, verbose=False)))
