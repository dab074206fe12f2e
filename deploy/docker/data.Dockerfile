# The shared data folder (TMDb extracts, MovieLens) as an image, so the catalogue load and the MovieLens
# import Jobs get it by tag instead of by hand: an init container copies /data into the Job's volume.
#   docker build -f deploy/docker/data.Dockerfile -t REGISTRY/movierec-data:TAG ../shared/data
# (the build context is the data folder itself). TMDb data is for non-commercial use with attribution;
# MovieLens under the GroupLens terms: push this image to a private registry.
FROM busybox:1.37.0-uclibc
COPY . /data
USER 65534:65534
