import pytest


@pytest.fixture
def libraries(db):
    """The shipped libraries, whose duties carry the incident clocks."""
    from citysoc.compliance import libraries

    libraries.load_all()
