"""Packaging for vte_nb, driven by settings.ini (the nbdev 2 layout).

The stage notebooks (`nbs/5*_exp_*.ipynb`) are what `vte-nb run` executes, so the wheel carries them as package
data under `vte_nb/_stages/`, copied at build time: the notebooks in `nbs/` stay the only copy in the repository.
"""
import shlex, shutil
from configparser import ConfigParser
from pathlib import Path
from setuptools import setup, find_packages
from setuptools.command.build_py import build_py

here = Path(__file__).parent
config = ConfigParser(delimiters=['='])
config.read(here/'settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()
lic = licenses[cfg['license']]
min_python = cfg['min_python']

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
ray_requirements = shlex.split(cfg.get('ray_requirements', ''))   # optional: `vte-nb sweep --executor ray`


class build_py_with_stages(build_py):
    "Copy the stage notebooks into the built package so an installed `vte-nb run` finds them."
    def run(self):
        super().run()
        dest = Path(self.build_lib)/cfg['lib_name']/'_stages'
        dest.mkdir(parents=True, exist_ok=True)
        for nb in sorted((here/cfg['nbs_path']).glob('5*_exp_*.ipynb')): shutil.copy(nb, dest/nb.name)


setup(
    name=cfg['lib_name'].replace('_', '-'),
    version=cfg['version'],
    license=lic[0],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'License :: ' + lic[1],
                 'Natural Language :: ' + cfg['language'].title()]
                + ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(min_python):]],
    url=cfg['git_url'],
    packages=find_packages(include=[cfg['lib_name'], cfg['lib_name'] + '.*']),
    include_package_data=True,
    package_data={cfg['lib_name']: ['presets/*.yaml', 'policies/*/manifest.json', 'policies/*/*/*.pt']},
    install_requires=requirements,
    extras_require={'dev': dev_requirements, 'ray': ray_requirements},
    dependency_links=cfg.get('dep_links', '').split(),
    python_requires='>=' + cfg['min_python'],
    long_description=(here/'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d']},
    cmdclass={'build_py': build_py_with_stages},
    author=cfg['author'], author_email=cfg['author_email'],
    description=cfg['description'], keywords=cfg['keywords'],
)
