/** Tests of the deployment artefacts: the Helm chart, docker-compose.yml and the image. */
package io.nostrex.deploy;
